package dev.sipedge.dialog;

import dev.sipedge.transaction.Flow;
import java.util.List;
import java.util.Objects;

/**
 * One leg of a stored dialog: what a BYE or a ping toward it needs, and the CSeq bookkeeping
 * that keeps requests relayed after a restart in order.
 *
 * @param contact         the leg's remote target, null when it sent no Contact
 * @param routeSet        route set toward the leg, nearest first, without our own entries
 * @param flow            our socket and the leg's observed address
 * @param cseqShift       how far re-INVITE pings moved the CSeq space toward the leg
 * @param lastInviteCseq  CSeq of the last INVITE relayed toward the leg (-1: none), with its shift
 * @param lastSdp         last SDP the leg received (re-INVITE pings), null when not kept
 * @param pingFailures    consecutive failed pings
 */
public record LegRecord(String tag, String uri, String contact, List<String> routeSet, Flow flow,
                        long cseqFrom, long cseqTo, long cseqShift, long lastInviteCseq, long lastInviteShift,
                        String lastSdp, int pingFailures) {

    public LegRecord {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(flow, "flow");
        routeSet = List.copyOf(routeSet);
    }
}

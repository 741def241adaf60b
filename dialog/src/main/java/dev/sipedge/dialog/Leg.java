package dev.sipedge.dialog;

import dev.sipedge.transaction.Flow;
import java.util.List;

/**
 * One side of a dialog: what the module needs to send a request toward it (BYE, pings) and to
 * check requests from it. Strings and small values only, never a parsed
 * message. Confined to the dialog's shard.
 */
public final class Leg {
    // Bytes, not Strings: see Text (a dialog keeps these for hours).
    private final byte[] tag;
    private final byte[] uri;
    private byte[] remoteTarget;
    private Flow flow;
    private List<String> routeSet;
    private long cseqFrom;
    private long cseqTo;
    private String lastSdp;
    /** The leg answered 2xx (only such legs outlive the INVITE transaction). */
    boolean answered;
    /** The route set was taken from a 2xx (RFC 3261 §13.2.2.4) and is final. */
    boolean routeSetFromSuccess;
    /** Null until a re-INVITE ping moves the leg's CSeq space: most legs are never shifted. */
    private Shift shift;
    /** SDP of this callee leg's provisional responses, until a 2xx chooses a leg (re-INVITE pings of the caller only). */
    String earlySdp;
    /** Ping bookkeeping; null unless the route pings this leg. */
    LegPing ping;

    Leg(String tag, String uri, String remoteTarget, Flow flow, List<String> routeSet) {
        this.tag = Text.of(tag);
        this.uri = Text.of(uri);
        this.remoteTarget = Text.of(remoteTarget);
        this.flow = flow;
        this.routeSet = routeSet;
    }

    /** The leg's tag (From tag of the caller, To tag of a callee). */
    public String tag() {
        return Text.string(tag);
    }

    /** True when the leg's tag is {@code candidate} (no decoding; matching calls this per request). */
    public boolean hasTag(String candidate) {
        return Text.same(tag, candidate);
    }

    /** The leg's address-of-record URI (From URI of the caller, To URI of the callee). */
    public String uri() {
        return Text.string(uri);
    }

    /** The leg's Contact URI: where requests toward it go (RFC 3261 §12.1); null if it sent none. */
    public String remoteTarget() {
        return Text.string(remoteTarget);
    }

    boolean hasRemoteTarget() {
        return remoteTarget != null;
    }

    /** True when the remote target is {@code candidate} (false when the leg has none). */
    boolean remoteTargetIs(String candidate) {
        return remoteTarget != null && Text.same(remoteTarget, candidate);
    }

    /**
     * The flow toward the leg: transport, our local socket, and its observed address (where the
     * caller's INVITE came from; where the callee's first 1xx/2xx came from).
     */
    public Flow flow() {
        return flow;
    }

    /** Route set toward the leg in send order (nearest proxy first), without our own entries. */
    public List<String> routeSet() {
        return routeSet;
    }

    /** Highest CSeq seen in requests from the leg. */
    public long cseqFrom() {
        return cseqFrom;
    }

    /** Highest CSeq sent toward the leg: relayed (after any shift) or sent by the module. */
    public long cseqTo() {
        return cseqTo;
    }

    /** Last SDP the leg received; kept only when its route asks for re-INVITE pings, else null. */
    public String lastSdp() {
        return lastSdp;
    }

    void remoteTarget(String target) {
        this.remoteTarget = Text.of(target);
    }

    void flow(Flow f) {
        this.flow = f;
    }

    void routeSet(List<String> routes) {
        this.routeSet = routes;
    }

    void seenFrom(long cseq) {
        cseqFrom = Math.max(cseqFrom, cseq);
    }

    void sentTo(long cseq) {
        cseqTo = Math.max(cseqTo, cseq);
    }

    /**
     * The shift of the INVITE with CSeq {@code cseq}, for its ACK or a PRACK's RAck: that of the
     * last INVITE relayed toward the leg, even if a ping moved the shift since; 0 for any other
     * (the initial INVITE, never shifted, or an ACK on its second pass of a spiral, shifted already).
     */
    long inviteShift(long cseq) {
        return shift != null && cseq == shift.lastInviteCseq ? shift.lastInviteShift : 0;
    }

    /**
     * How far our re-INVITE pings moved the CSeq space of requests toward this leg: relayed
     * requests toward it go out with their CSeq plus this, and their responses come back minus it.
     */
    long cseqShift() {
        return shift == null ? 0 : shift.cseqShift;
    }

    /** A re-INVITE ping of ours took the next CSeq toward the leg. */
    void shiftForPing() {
        if (shift == null) {
            shift = new Shift();
        }
        shift.cseqShift++;
    }

    /** An INVITE with CSeq {@code cseq} (as received) was relayed toward the leg with {@code cseqShift}. */
    void inviteRelayed(long cseq, long cseqShift) {
        if (shift != null) {
            shift.lastInviteCseq = cseq;
            shift.lastInviteShift = cseqShift;
        }
    }

    /** CSeq (as received) of the last shifted INVITE relayed toward the leg; -1 when none. */
    long lastInviteCseq() {
        return shift == null ? -1 : shift.lastInviteCseq;
    }

    long lastInviteShift() {
        return shift == null ? 0 : shift.lastInviteShift;
    }

    /** Puts back what {@link #cseqShift}, {@link #lastInviteCseq} and {@link #lastInviteShift} said. */
    void restoreShift(long cseqShift, long lastInviteCseq, long lastInviteShift) {
        if (cseqShift != 0 || lastInviteShift != 0) {
            shift = new Shift();
            shift.cseqShift = cseqShift;
            shift.lastInviteCseq = lastInviteCseq;
            shift.lastInviteShift = lastInviteShift;
        }
    }

    void lastSdp(String sdp) {
        this.lastSdp = sdp;
    }

    @Override
    public String toString() {
        return "Leg[" + tag() + " " + remoteTarget() + "]";
    }

    /** The CSeq space of a shifted leg (see {@link #cseqShift()}). */
    private static final class Shift {
        long cseqShift;
        /** CSeq (as received) and shift of the last INVITE relayed toward the leg, for its ACK and PRACK. */
        long lastInviteCseq = -1;
        long lastInviteShift;
    }
}

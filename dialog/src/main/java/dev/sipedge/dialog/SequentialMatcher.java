package dev.sipedge.dialog;

import dev.sipedge.recordroute.RoutePreprocessResult;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.Optional;

/**
 * Finds the dialog of a sequential request in one shard's table, by the mode configured:
 * <ul>
 * <li>the {@code did} cookie is read only from the Route entry the record-route layer found to be
 *     ours ({@link RoutePreprocessResult#ourRouteParams()}), never from anywhere else;</li>
 * <li>a dialog found by cookie counts only if Call-ID and both tags fit too (tight matching), so a
 *     forged or stale cookie never selects somebody else's dialog;</li>
 * <li>SIP matching is Call-ID + From tag + To tag, in either direction; the direction is decided per
 *     request: downstream when the From tag is the caller's tag.</li>
 * </ul>
 */
final class SequentialMatcher {
    private final DialogTable table;
    private final MatchMode mode;
    private final String rrParam;
    private final DidCookie cookies;

    SequentialMatcher(DialogTable table, MatchMode mode, String rrParam, DidCookie cookies) {
        this.table = table;
        this.mode = mode;
        this.rrParam = rrParam;
        this.cookies = cookies;
    }

    /** What {@link #find} found. */
    sealed interface Match permits Found, Missed {
    }

    /** The request belongs to {@code dialog}, sent by leg {@code from} toward leg {@code to}. */
    record Found(Dialog dialog, Direction direction, Leg from, Leg to) implements Match {
    }

    /**
     * No dialog here. {@code COOKIE}: the request carried a did that named no dialog it fits
     * (counted as unmatched: a stale or forged cookie); {@code NOTHING}: it carried none.
     */
    enum Missed implements Match {
        NOTHING, COOKIE
    }

    Match find(SIPRequest request, RoutePreprocessResult routing) {
        String callId = request.getCallId().getCallId();
        String fromTag = request.getFromTag();
        String toTag = request.getToTag();
        String cookie = mode != MatchMode.SIP_ONLY && routing.foundOurs() ? routing.ourRouteParams().get(rrParam) : null;
        if (cookie != null) {
            long sequence = cookies.parse(cookie);
            Dialog byCookie = sequence < 0 ? null : table.bySequence(sequence);
            Optional<Found> m = byCookie == null ? Optional.empty() : tight(byCookie, callId, fromTag, toTag);
            if (m.isPresent()) {
                return m.get();
            }
            if (mode == MatchMode.DID_ONLY) {
                return Missed.COOKIE;
            }
        } else if (mode == MatchMode.DID_ONLY) {
            return Missed.NOTHING;
        }
        Optional<Found> bySip = byTags(callId, fromTag, toTag);
        if (bySip.isPresent()) {
            return bySip.get();
        }
        return cookie != null ? Missed.COOKIE : Missed.NOTHING;
    }

    /**
     * SIP matching alone (Call-ID, From tag, To tag), for what carries no Route: a response's tags
     * are those of the request it answers, so {@code from} is the requester's leg.
     */
    Optional<Found> byTags(String callId, String fromTag, String toTag) {
        for (Dialog d = table.byCallId(callId); d != null; d = d.nextSameCallId) {
            Optional<Found> m = tight(d, callId, fromTag, toTag);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    /** The match when Call-ID and both tags belong to {@code d}, in either direction. */
    private static Optional<Found> tight(Dialog d, String callId, String fromTag, String toTag) {
        if (fromTag == null || toTag == null || !d.callId().equals(callId)) {
            return Optional.empty();
        }
        if (d.caller().hasTag(fromTag)) {
            Leg callee = d.calleeLeg(toTag);
            return callee == null ? Optional.empty()
                    : Optional.of(new Found(d, Direction.DOWNSTREAM, d.caller(), callee));
        }
        if (d.caller().hasTag(toTag)) {
            Leg callee = d.calleeLeg(fromTag);
            return callee == null ? Optional.empty()
                    : Optional.of(new Found(d, Direction.UPSTREAM, callee, d.caller()));
        }
        return Optional.empty();
    }
}

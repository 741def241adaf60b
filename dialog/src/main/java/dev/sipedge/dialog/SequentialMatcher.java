package dev.sipedge.dialog;

import dev.sipedge.recordroute.RoutePreprocessResult;
import gov.nist.javax.sip.message.SIPRequest;

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

    /** What {@link #find} found. {@code dialog} is null when nothing matched. */
    record Match(Dialog dialog, Direction direction, Leg from, Leg to, boolean cookieMissed) {
        static final Match NONE = new Match(null, null, null, null, false);
        static final Match COOKIE_MISSED = new Match(null, null, null, null, true);
    }

    Match find(SIPRequest request, RoutePreprocessResult routing) {
        String callId = request.getCallId().getCallId();
        String fromTag = request.getFromTag();
        String toTag = request.getToTag();
        String cookie = mode != MatchMode.SIP_ONLY && routing.foundOurs() ? routing.ourRouteParams().get(rrParam) : null;
        if (cookie != null) {
            long sequence = cookies.parse(cookie);
            Dialog byCookie = sequence < 0 ? null : table.bySequence(sequence);
            Match m = byCookie == null ? null : tight(byCookie, callId, fromTag, toTag);
            if (m != null) {
                return m;
            }
            if (mode == MatchMode.DID_ONLY) {
                return Match.COOKIE_MISSED;
            }
        } else if (mode == MatchMode.DID_ONLY) {
            return Match.NONE;
        }
        for (Dialog d = table.byCallId(callId); d != null; d = d.nextSameCallId) {
            Match m = tight(d, callId, fromTag, toTag);
            if (m != null) {
                return m;
            }
        }
        return cookie != null ? Match.COOKIE_MISSED : Match.NONE;
    }

    /** The match when Call-ID and both tags belong to {@code d} (in either direction), else null. */
    static Match tight(Dialog d, String callId, String fromTag, String toTag) {
        if (fromTag == null || toTag == null || !d.callId().equals(callId)) {
            return null;
        }
        if (d.caller().hasTag(fromTag)) {
            Leg callee = d.calleeLeg(toTag);
            return callee == null ? null : new Match(d, Direction.DOWNSTREAM, d.caller(), callee, false);
        }
        if (d.caller().hasTag(toTag)) {
            Leg callee = d.calleeLeg(fromTag);
            return callee == null ? null : new Match(d, Direction.UPSTREAM, callee, d.caller(), false);
        }
        return null;
    }
}

package dev.sipedge.dialog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the module needs to act on a dialog after a restart, as a value: identity, state,
 * both legs, times, the route's options and the operator's values, flags and profile slots.
 * Only answered dialogs are stored (an early dialog that a restart loses fails as it would
 * without the proxy).
 *
 * @param id          the did, as it appears in the Record-Route cookie
 * @param inviteCseq  CSeq number of the initial INVITE (spiral and ACK matching)
 * @param startTime   when the initial INVITE created the dialog
 * @param answerTime  when the 2xx was relayed
 * @param expiresAt   absolute end of the lifetime (wall clock); never moved forward by a restore
 * @param lifetime    the lifetime a sequential request restarts (route timeout or the default)
 * @param profiles    the profile slots the dialog holds
 */
public record DialogRecord(String id, String callId, DialogState state, long inviteCseq,
                           Instant startTime, Instant answerTime, Instant expiresAt, Duration lifetime,
                           boolean byeOnTimeout, PingMode pingCaller, PingMode pingCallee,
                           LegRecord caller, LegRecord callee,
                           Map<String, String> values, Set<String> flags, List<ProfileSlot> profiles) {

    public DialogRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(answerTime, "answerTime");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(pingCaller, "pingCaller");
        Objects.requireNonNull(pingCallee, "pingCallee");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callee, "callee");
        values = Map.copyOf(values);
        flags = Set.copyOf(flags);
        profiles = List.copyOf(profiles);
    }

    /** A profile slot: the profile's name and the value counted (null for a profile without values). */
    public record ProfileSlot(String profile, String value) {
        public ProfileSlot {
            Objects.requireNonNull(profile, "profile");
        }
    }
}

package dev.sipedge.dialog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes a dialog's snapshot for the store, on its shard ({@link DialogRecord}): only answered,
 * live dialogs are kept.
 */
final class DialogRecords {
    private DialogRecords() {
    }

    /**
     * The record of {@code d} at wall-clock {@code nowMillis} and monotonic {@code nowNanos} (the
     * clock of the dialog's deadline), or empty when it is not answered or has ended.
     */
    static Optional<DialogRecord> of(Dialog d, long nowMillis, long nowNanos) {
        if (!d.state.isActive() || d.destroyed || d.callee() == null) {
            return Optional.empty();
        }
        return Optional.of(new DialogRecord(d.id(), d.callId(), d.state, d.inviteCseq(),
                Instant.ofEpochMilli(d.createdAtMillis()), Instant.ofEpochMilli(d.answeredAtMillis()),
                Instant.ofEpochMilli(expiresAtMillis(d, nowMillis, nowNanos)), d.lifetime(),
                d.options.byeOnTimeout(), d.options.pingCaller(), d.options.pingCallee(),
                leg(d.caller()), leg(d.callee()), d.values(), d.flags(), slots(d)));
    }

    /**
     * The deadline on the wall clock. Rounded down (a nanosecond deadline never becomes a later
     * millisecond), and a deadline already passed stays in the past: it is never written as one in
     * the future, so a restore after a crash ends the call instead of giving it more time.
     */
    static long expiresAtMillis(Dialog d, long nowMillis, long nowNanos) {
        long leftNanos = d.deadlineNanos - nowNanos;   // a difference: nanoTime values may wrap
        return nowMillis + Math.floorDiv(leftNanos, 1_000_000L);
    }

    private static LegRecord leg(Leg leg) {
        return new LegRecord(leg.tag(), leg.uri(), leg.remoteTarget(), leg.routeSet(), leg.flow(),
                leg.cseqFrom(), leg.cseqTo(), leg.cseqShift(), leg.lastInviteCseq(), leg.lastInviteShift(),
                leg.lastSdp(), leg.ping == null ? 0 : leg.ping.failures);
    }

    private static List<DialogRecord.ProfileSlot> slots(Dialog d) {
        List<ProfileMemberships.Membership> memberships = d.memberships();
        if (memberships.isEmpty()) {
            return List.of();
        }
        List<DialogRecord.ProfileSlot> out = new ArrayList<>(memberships.size());
        for (ProfileMemberships.Membership m : memberships) {
            out.add(new DialogRecord.ProfileSlot(m.profile().name(), m.value()));
        }
        return out;
    }
}

package dev.sipedge.dialog;

import dev.sipedge.transaction.Flow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable copy of one dialog, taken on its shard ({@link DialogModule#list}): what an
 * operator sees of it (the management API renders it), safe to read from any thread.
 *
 * @param sequence  creation order within this run (the did's sequence), for a stable listing order
 * @param timeLeft  remaining lifetime: counting down once answered, the whole lifetime before, zero once ended
 * @param callee    the chosen (or first early) callee leg; empty before any response with a To tag
 * @param endCause  why it ended; empty while it lives
 */
public record DialogSnapshot(String id, long sequence, String callId, DialogState state, Instant startTime,
                             Duration timeLeft, LegSnapshot caller, Optional<LegSnapshot> callee,
                             List<ProfileEntry> profiles, Map<String, String> values, List<String> flags,
                             Optional<EndCause> endCause) {

    public DialogSnapshot {
        profiles = List.copyOf(profiles);
        values = Map.copyOf(values);
        flags = List.copyOf(flags);
    }

    /**
     * One side of the dialog.
     *
     * @param contact  the leg's Contact (remote target); empty if it sent none
     * @param cseq     highest CSeq seen in requests from the leg
     * @param flow     where the leg was seen; empty for a leg never heard from directly
     */
    public record LegSnapshot(String uri, String tag, Optional<String> contact, long cseq, List<String> routeSet,
                              Optional<Flow> flow, Ping ping) {
        public LegSnapshot {
            routeSet = List.copyOf(routeSet);
        }
    }

    /** How the leg is probed and how many pings in a row failed. */
    public record Ping(PingMode kind, int failures) {
    }

    /** A profile membership; {@code value} is empty for a profile without value. */
    public record ProfileEntry(String name, Optional<String> value) {
    }

    /** OpenSIPS's numbering of dialog states (1 unconfirmed … 5 deleted), which its tools print. */
    public int stateCode() {
        return switch (state) {
            case UNCONFIRMED -> 1;
            case EARLY -> 2;
            case CONFIRMED_NA -> 3;
            case CONFIRMED -> 4;
            case ENDED -> 5;
        };
    }

    /** Copies {@code d}; call on its shard. */
    static DialogSnapshot of(Dialog d, Duration timeLeft) {
        List<ProfileEntry> profiles = new ArrayList<>();
        for (ProfileMemberships.Membership m : d.memberships()) {
            profiles.add(new ProfileEntry(m.profile().name(), Optional.ofNullable(m.value())));
        }
        Leg callee = d.callee();
        return new DialogSnapshot(d.id(), d.sequence, d.callId(), d.state(), Instant.ofEpochMilli(d.createdAtMillis()),
                timeLeft, leg(d.caller(), d.options().pingCaller()),
                callee == null ? Optional.empty() : Optional.of(leg(callee, d.options().pingCallee())),
                profiles, new TreeMap<>(d.values()), new ArrayList<>(new TreeSet<>(d.flags())),
                Optional.ofNullable(d.endCause()));
    }

    private static LegSnapshot leg(Leg leg, PingMode kind) {
        int failures = leg.ping == null ? 0 : leg.ping.failures;
        return new LegSnapshot(leg.uri(), leg.tag(), Optional.ofNullable(leg.remoteTarget()), leg.cseqFrom(),
                leg.routeSet() == null ? List.of() : leg.routeSet(), Optional.ofNullable(leg.flow()),
                new Ping(kind, failures));
    }
}

package dev.sipedge.transaction;

import java.util.Arrays;

/**
 * The timers one kind of transaction machine runs, each with a slot in its instances' handle
 * array. A finished transaction lingers up to 64*T1 (32 s on UDP) to absorb retransmissions, so
 * at 1,000 calls/s ~100,000 of them are alive: an array of all thirteen timers in each was 72
 * bytes where a machine uses one to five. One instance per machine class, shared. A lingering
 * timer (D, I, J, K, L, M) is named here too, so that a machine may cancel it by name, but it is
 * queued in {@link LingerTimers} and its slot stays empty: a transaction makes the array only
 * for its other timers.
 */
final class TimerSlots {
    private final SipTimer[] timers;
    /** Slot by {@link SipTimer#ordinal()}; -1 for a timer this machine never runs. */
    private final int[] slotByOrdinal;

    private TimerSlots(SipTimer[] timers) {
        this.timers = timers;
        this.slotByOrdinal = new int[SipTimer.values().length];
        Arrays.fill(slotByOrdinal, -1);
        for (int i = 0; i < timers.length; i++) {
            if (slotByOrdinal[timers[i].ordinal()] != -1) {
                throw new IllegalArgumentException("timer " + timers[i] + " named twice");
            }
            slotByOrdinal[timers[i].ordinal()] = i;
        }
    }

    static TimerSlots of(SipTimer... timers) {
        return new TimerSlots(timers.clone());
    }

    int size() {
        return timers.length;
    }

    SipTimer timer(int slot) {
        return timers[slot];
    }

    /** The slot of {@code timer}; a timer the machine does not run is a bug in the machine. */
    int slotOf(SipTimer timer) {
        int slot = slotByOrdinal[timer.ordinal()];
        if (slot < 0) {
            throw new IllegalArgumentException("timer " + timer + " is not one of " + Arrays.toString(timers));
        }
        return slot;
    }
}

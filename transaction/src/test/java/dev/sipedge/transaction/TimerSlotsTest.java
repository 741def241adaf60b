package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A machine's timers get consecutive slots in the order it names them; a timer it does not run
 * has none (asking is a bug in the machine, reported at once rather than stored in another
 * timer's slot).
 */
class TimerSlotsTest {

    @Test
    void slotsFollowTheOrderTheMachineNamesItsTimers() {
        TimerSlots slots = TimerSlots.of(SipTimer.G, SipTimer.H, SipTimer.I, SipTimer.L);
        assertEquals(4, slots.size());
        assertEquals(0, slots.slotOf(SipTimer.G));
        assertEquals(3, slots.slotOf(SipTimer.L));
        assertEquals(SipTimer.I, slots.timer(slots.slotOf(SipTimer.I)));
    }

    @Test
    void aTimerTheMachineDoesNotRunHasNoSlot() {
        TimerSlots slots = TimerSlots.of(SipTimer.J);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slots.slotOf(SipTimer.K));
        assertEquals("timer K is not one of [J]", e.getMessage());
    }

    @Test
    void aTimerNamedTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TimerSlots.of(SipTimer.E, SipTimer.F, SipTimer.E));
    }
}

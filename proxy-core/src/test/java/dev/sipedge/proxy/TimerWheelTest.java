package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wheel on a manual clock, advanced by hand as its shard's tick task would. */
class TimerWheelTest {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(10);

    private long now = 1_000_000_000L;
    private final TimerWheel wheel = new TimerWheel(8, TICK, () -> now, ImmediateEventExecutor.INSTANCE);
    private final List<String> ran = new ArrayList<>();

    private WheelTimeout arm(String name, long delayMillis) {
        return arm(name, delayMillis, t -> ran.add(name));
    }

    private WheelTimeout arm(String name, long delayMillis, TimerTask task) {
        WheelTimeout t = new WheelTimeout(null, task, wheel, now + TimeUnit.MILLISECONDS.toNanos(delayMillis));
        wheel.add(t);
        return t;
    }

    private void passMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        wheel.advance();
    }

    @Test
    void aTimeoutRunsAtTheFirstTickAtOrAfterItsDeadlineAndNotBefore() {
        WheelTimeout t = arm("a", 25);
        passMillis(20);
        assertEquals(List.of(), ran);
        assertFalse(t.isExpired());
        passMillis(10);
        assertEquals(List.of("a"), ran);
        assertTrue(t.isExpired());
        assertEquals(0, wheel.pending());
    }

    @Test
    void timeoutsDueOnOneTickRunInTheOrderTheyWereArmed() {
        arm("first", 10);
        arm("second", 10);
        arm("third", 5);
        passMillis(10);
        assertEquals(List.of("first", "second", "third"), ran);
    }

    @Test
    void aCancelledTimeoutNeverRunsAndLeavesTheWheel() {
        WheelTimeout t = arm("a", 10);
        arm("b", 10);
        assertTrue(t.cancel());
        assertFalse(t.cancel());
        assertTrue(t.isCancelled());
        assertEquals(1, wheel.pending());
        passMillis(10);
        assertEquals(List.of("b"), ran);
        assertFalse(t.isExpired());
    }

    @Test
    void anExpiredTimeoutCannotBeCancelled() {
        WheelTimeout t = arm("a", 10);
        passMillis(10);
        assertFalse(t.cancel());
        assertTrue(t.isExpired());
    }

    @Test
    void aTimeoutMoreThanOneTurnAwayIsPassedOverUntilItsTurn() {
        arm("far", 250);           // eight buckets of 10 ms: three turns and a bit
        for (int i = 0; i < 24; i++) {
            passMillis(10);
        }
        assertEquals(List.of(), ran);
        passMillis(10);
        assertEquals(List.of("far"), ran);
    }

    @Test
    void aZeroOrNegativeDelayRunsOnTheNextTick() {
        arm("zero", 0);
        arm("past", -50);
        assertEquals(List.of(), ran);
        passMillis(10);
        assertEquals(List.of("zero", "past"), ran);
    }

    @Test
    void aWheelFarBehindRunsWhatIsDueInOneAdvanceAndKeepsTheRest() {
        arm("soon", 30);
        arm("later", 3_000);
        arm("tomorrow", 86_400_000);
        passMillis(3_600_000);
        assertEquals(Set.of("soon", "later"), Set.copyOf(ran));    // one sweep: no order across buckets
        assertEquals(1, wheel.pending());
        passMillis(86_400_000 - 3_600_000);
        assertEquals(3, ran.size());
        assertEquals("tomorrow", ran.get(2));
    }

    @Test
    void aTaskMayArmAndCancelInItsOwnBucket() {
        List<Timeout> victims = new ArrayList<>();
        arm("canceller", 10, t -> {
            ran.add("canceller");
            victims.get(0).cancel();
            arm("armed-by-task", 80);     // one turn later: the same bucket
        });
        victims.add(arm("victim", 10));
        passMillis(10);
        assertEquals(List.of("canceller"), ran);
        passMillis(80);
        assertEquals(List.of("canceller", "armed-by-task"), ran);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        arm("fails", 10, t -> {
            throw new IllegalStateException("boom");
        });
        arm("runs", 10);
        passMillis(10);
        assertEquals(List.of("runs"), ran);
    }

    @Test
    void drainReturnsWhatHadNotRunAndEmptiesTheWheel() {
        WheelTimeout a = arm("a", 10);
        WheelTimeout b = arm("b", 500);
        arm("c", 20).cancel();
        List<WheelTimeout> left = wheel.drain();
        assertEquals(2, left.size());
        assertTrue(left.containsAll(List.of(a, b)));
        assertEquals(0, wheel.pending());
        passMillis(1_000);
        assertEquals(List.of(), ran);
    }

    @Test
    void aTimeoutCancelledBeforeItReachesTheWheelIsNotLinked() {
        WheelTimeout t = new WheelTimeout(null, x -> ran.add("late"), wheel, now);
        t.cancel();
        wheel.add(t);
        assertEquals(0, wheel.pending());
        passMillis(10);
        assertEquals(List.of(), ran);
    }

    @Test
    void aTaskThrowingAnErrorDoesNotStopTheOthers() {
        arm("errs", 10, t -> {
            throw new AssertionError("boom");
        });
        arm("runs", 10);
        passMillis(10);
        assertEquals(List.of("runs"), ran);
        arm("next", 10);
        passMillis(10);
        assertEquals(List.of("runs", "next"), ran);
    }

    @Test
    void aTimeoutArmedDuringACatchUpSweepRunsOnTheNextTick() {
        arm("before", 10, t -> {
            ran.add("before");
            arm("armed-in-sweep", 0);
        });
        passMillis(3_600_030);     // 360,003 ticks: more than a turn, and not a whole number of turns
        assertEquals(List.of("before"), ran);
        passMillis(10);
        assertEquals(List.of("before", "armed-in-sweep"), ran);
    }

    @Test
    void aDeadlineBeyondTheClocksRangeNeverRuns() {
        WheelTimeout never = new WheelTimeout(null, t -> ran.add("never"), wheel, Long.MAX_VALUE);
        wheel.add(never);
        passMillis(10);
        passMillis(TimeUnit.DAYS.toMillis(365));
        assertEquals(List.of(), ran);
        assertEquals(1, wheel.pending());
    }
}

package dev.sipedge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The wait for a quiet JIT, on a manual clock: each pause advances it instead of sleeping. */
class CompilerIdleTest {
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong compiled = new AtomicLong();

    /** A JIT that compiles for {@code busyPolls} polls (1 ms more at each), then stops. */
    private CompilerIdle jitBusyFor(int busyPolls) {
        AtomicLong polls = new AtomicLong();
        return new CompilerIdle(compiled::get, clock::get, duration -> {
            clock.addAndGet(duration.toNanos());
            if (polls.incrementAndGet() <= busyPolls) {
                compiled.incrementAndGet();
            }
        });
    }

    @Test
    void quietAfterTwoPollsWithoutCompilation() throws InterruptedException {
        CompilerIdle.Wait wait = jitBusyFor(0).await(Duration.ofSeconds(3));
        assertTrue(wait.quiet());
        assertEquals(Duration.ofMillis(200), wait.waited());
    }

    @Test
    void waitsOutACompilingJitThenTwoQuietPolls() throws InterruptedException {
        CompilerIdle.Wait wait = jitBusyFor(5).await(Duration.ofSeconds(3));
        assertTrue(wait.quiet());
        assertEquals(Duration.ofMillis(700), wait.waited(), "5 busy polls, then 2 quiet ones");
    }

    @Test
    void aJitThatNeverStopsEndsTheWaitAtItsBound() throws InterruptedException {
        CompilerIdle.Wait wait = jitBusyFor(Integer.MAX_VALUE).await(Duration.ofSeconds(1));
        assertFalse(wait.quiet());
        assertEquals(Duration.ofSeconds(1), wait.waited());
    }

    @Test
    void noTimeLeftMeansNoWait() throws InterruptedException {
        CompilerIdle.Wait wait = jitBusyFor(0).await(Duration.ZERO);
        assertFalse(wait.quiet());
        assertEquals(Duration.ZERO, wait.waited());
    }
}

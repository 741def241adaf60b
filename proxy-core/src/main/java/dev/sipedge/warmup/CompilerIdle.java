package dev.sipedge.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Waits, bounded, until the JIT has gone quiet: its total compilation time unchanged over
 * {@link #QUIET_POLLS} polls {@link #POLL} apart.
 *
 * <p>Why the warm-up waits for it: C2 raises its promotion thresholds while its queue is long, so
 * methods a call runs only once or twice (creating the dialog, preparing the forward, the call
 * record) are still in their profiling tier when the first warm-up phases end, and real traffic
 * then pays for their compilation. Calls made once the queue has emptied promote them before the
 * sockets open (docs/performance.md, 2026-12-05, tenth session).
 */
public final class CompilerIdle {
    static final Duration POLL = Duration.ofMillis(100);
    static final int QUIET_POLLS = 2;

    /** How the wait ended: quiet after {@code waited}, or the bound reached first. */
    public record Wait(boolean quiet, Duration waited) {
    }

    /** The pause between polls; a test's pause advances its clock instead of sleeping. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final LongSupplier compilationMillis;
    private final LongSupplier nanoTime;
    private final Pause pause;

    CompilerIdle(LongSupplier compilationMillis, LongSupplier nanoTime, Pause pause) {
        this.compilationMillis = compilationMillis;
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    /** This JVM's JIT, when it reports its compilation time (HotSpot does); empty otherwise. */
    public static Optional<CompilerIdle> ofThisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return Optional.empty();
        }
        return Optional.of(new CompilerIdle(jit::getTotalCompilationTime, System::nanoTime,
                duration -> Thread.sleep(duration.toMillis())));
    }

    /** Polls until quiet or until {@code max} has passed, whichever comes first. */
    public Wait await(Duration max) throws InterruptedException {
        long start = nanoTime.getAsLong();
        long last = compilationMillis.getAsLong();
        int quiet = 0;
        while (nanoTime.getAsLong() - start < max.toNanos()) {
            pause.pause(POLL);
            long now = compilationMillis.getAsLong();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
            if (quiet == QUIET_POLLS) {
                return new Wait(true, Duration.ofNanos(nanoTime.getAsLong() - start));
            }
        }
        return new Wait(false, Duration.ofNanos(nanoTime.getAsLong() - start));
    }
}

package dev.sipedge.lifecycle;

import dev.sipedge.proxy.DrainGate;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drain of a graceful stop (SIGTERM): closes the {@link DrainGate} so new initial requests get
 * 503, then polls what is still in flight until nothing is, the grace runs out, or the stop is
 * {@link #cutShort() cut short}. Runs on the thread that stops the process, never on a SIP thread.
 *
 * <pre>
 *   drain(grace) ──► gate closed ──► poll ──idle──────────────► Drained
 *                                     │ ▲
 *                                     │ └─ busy, time left: pause
 *                                     └─── grace over / cut short ──► GraceExpired
 * </pre>
 */
public final class GracefulStop {
    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    /** Between two looks at what is in flight. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    /** What the proxy still has to finish, as far as a poll could tell. */
    public sealed interface Work {
        boolean idle();

        /** Early or active dialogs, and transactions without a final response. */
        record Counted(long dialogs, long transactions) implements Work {
            @Override
            public boolean idle() {
                return dialogs == 0 && transactions == 0;
            }

            @Override
            public String toString() {
                return dialogs + " dialogs and " + transactions + " transactions";
            }
        }

        /** The count failed (a shard did not answer in time): busy, as far as we know. */
        record Uncounted(String reason) implements Work {
            @Override
            public boolean idle() {
                return false;
            }

            @Override
            public String toString() {
                return "an unknown number of calls (" + reason + ")";
            }
        }
    }

    /** Counts what is in flight; may block briefly (it asks every shard), may throw. */
    @FunctionalInterface
    public interface InFlight {
        Work count();
    }

    /** Waits between two polls (the system clock in production, a manual clock in tests). */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /** How a drain ended. */
    public sealed interface Outcome {
        /** Nothing was left in flight after {@code took}. */
        record Drained(Duration took) implements Outcome {
        }

        /** The grace ran out (or the stop was cut short) with {@code left} still in flight. */
        record GraceExpired(Duration took, Work left) implements Outcome {
        }
    }

    private final DrainGate gate;
    private final InFlight inFlight;
    private final LongSupplier nanoClock;
    private final Pause pause;
    private volatile boolean cutShort;

    public GracefulStop(DrainGate gate, InFlight inFlight, LongSupplier nanoClock, Pause pause) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /** A stop on the system's monotonic clock. */
    public static GracefulStop onSystemClock(DrainGate gate, InFlight inFlight) {
        return new GracefulStop(gate, inFlight, System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Closes the gate (Retry-After: the grace) and waits at most {@code grace} for the dialogs and
     * transactions in flight to end. Interrupting the caller ends the wait like a cut.
     */
    public Outcome drain(Duration grace) {
        long start = nanoClock.getAsLong();
        long deadline = start + grace.toNanos();
        gate.startDraining(grace);
        Work work = count();
        log.info("graceful stop: draining; new calls get 503; {} in progress; grace {} ms", work, grace.toMillis());
        while (true) {
            if (work.idle()) {
                Duration took = Duration.ofNanos(nanoClock.getAsLong() - start);
                log.info("graceful stop: drained in {} ms", took.toMillis());
                return new Outcome.Drained(took);
            }
            long left = deadline - nanoClock.getAsLong();
            if (left <= 0 || cutShort) {
                Duration took = Duration.ofNanos(nanoClock.getAsLong() - start);
                log.warn("graceful stop: {} after {} ms with {} in progress; they are dropped",
                        cutShort ? "cut short" : "grace ran out", took.toMillis(), work);
                return new Outcome.GraceExpired(took, work);
            }
            try {
                pause.pause(Duration.ofNanos(Math.min(left, POLL_INTERVAL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cutShort = true;
            }
            work = count();
        }
    }

    /** Ends a drain at its next poll (a second SIGTERM or SIGINT: the operator will not wait). */
    public void cutShort() {
        cutShort = true;
    }

    /** A count that fails (a shard did not answer in time) counts as busy: keep waiting. */
    private Work count() {
        try {
            return inFlight.count();
        } catch (RuntimeException e) {
            log.warn("graceful stop: cannot count what is in flight: {}", e.toString());
            return new Work.Uncounted(e.toString());
        }
    }
}

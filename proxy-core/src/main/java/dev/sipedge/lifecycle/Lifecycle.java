package dev.sipedge.lifecycle;

import com.typesafe.config.Config;
import dev.sipedge.SipEdge;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.management.ProcessControl;
import dev.sipedge.management.ReloadOutcome;
import dev.sipedge.proxy.DrainGate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of the running process after its start: reload ({@code SIGHUP}, {@code POST /reload})
 * and graceful stop ({@code SIGTERM}, {@code SIGINT}). The management API sees it as
 * {@link ProcessControl}. A stop runs on one thread ({@link #awaitStopRequest()} then
 * {@link #stop()}, in {@code Main}); signal handlers only {@link #requestStop request} it.
 *
 * <p>Stop sequence: close the drain gate, wait for calls and transactions (at most
 * {@code shutdown.grace}), run the {@link #beforeClose before-close steps} in order, close the
 * proxy. The caller then exits 0.
 */
public final class Lifecycle implements ProcessControl {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    /** How long one count of the shards' transactions may take before it counts as busy. */
    private static final long COUNT_TIMEOUT_MS = 1000;

    /** A step of the stop between the drain and closing the sockets. */
    private record Step(String name, Runnable action) {
    }

    private final DrainGate gate;
    private final Reloader reloader;
    private final GracefulStop drain;
    private final Runnable close;
    private final List<Step> beforeClose = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean requested = new AtomicBoolean();

    /** @param close closes the proxy (sockets, shards, timers) once the drain is over */
    public Lifecycle(DrainGate gate, Reloader reloader, GracefulStop drain, Runnable close) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.reloader = Objects.requireNonNull(reloader, "reloader");
        this.drain = Objects.requireNonNull(drain, "drain");
        this.close = Objects.requireNonNull(close, "close");
    }

    /**
     * The lifecycle of {@code edge}, started from {@code started} (read from {@code source}); a
     * reload reads {@code source} again and runs {@code reader} on it, as the start did.
     */
    public static Lifecycle of(SipEdge edge, ConfigSource source, Function<Config, ProxySettings> reader,
                               Config started, ProxySettings settings) {
        Reloader reloader = new Reloader(source, reader, edge.dialogs(), edge.routes(), started, settings);
        GracefulStop drain = GracefulStop.onSystemClock(edge.drainGate(), () -> inFlight(edge));
        return new Lifecycle(edge.drainGate(), reloader, drain, edge::close);
    }

    private static GracefulStop.Work inFlight(SipEdge edge) {
        long dialogs = edge.dialogs().activeCount() + edge.dialogs().earlyCount();
        try {
            int transactions = edge.transactionsInProgress().get(COUNT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new GracefulStop.Work.Counted(dialogs, transactions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GracefulStop.Work.Uncounted("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new GracefulStop.Work.Uncounted("shards did not answer: " + e);
        }
    }

    @Override
    public boolean draining() {
        return gate.draining();
    }

    @Override
    public ReloadOutcome reload() {
        return reloader.reload();
    }

    /**
     * Registers a step that runs after the drain and before the proxy closes, in registration
     * order; where the dialog store is to flush (DESIGN.md, lifecycle). A failing step is logged
     * and the stop goes on.
     */
    public void beforeClose(String name, Runnable step) {
        beforeClose.add(new Step(Objects.requireNonNull(name, "name"), Objects.requireNonNull(step, "step")));
    }

    /**
     * Asks for a graceful stop (from a signal handler: returns at once). A second request while
     * the first drains cuts the drain short: the operator does not want to wait.
     */
    public void requestStop(String why) {
        if (requested.compareAndSet(false, true)) {
            log.info("{}: graceful stop requested", why);
            stopRequested.countDown();
        } else {
            log.warn("{} again: cutting the drain short", why);
            drain.cutShort();
        }
    }

    /** Blocks until {@link #requestStop} is called. */
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    /** Drains (at most the grace in force), runs the before-close steps, closes. Blocking. */
    public GracefulStop.Outcome stop() {
        GracefulStop.Outcome outcome = drain.drain(reloader.shutdownGrace());
        for (Step step : beforeClose) {
            try {
                step.action().run();
            } catch (RuntimeException e) {
                log.error("stop step '{}' failed: {}", step.name(), e.toString(), e);
            }
        }
        close.run();
        return outcome;
    }
}

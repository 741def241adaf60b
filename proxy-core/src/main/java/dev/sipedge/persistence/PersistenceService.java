package dev.sipedge.persistence;

import dev.sipedge.StartRefused;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogPersistence;
import dev.sipedge.dialog.DialogRecord;
import dev.sipedge.dialog.DialogStore;
import dev.sipedge.dialog.DialogStoreException;
import dev.sipedge.dialog.DialogTracker;
import dev.sipedge.dialog.PersistenceSettings;
import dev.sipedge.dialog.store.JdbcDialogStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dialog persistence of one process: opens the store, restores its dialogs into the shards before
 * traffic, then feeds {@link DialogPersistence} from the module and flushes it on a graceful stop.
 * Every JDBC call runs on the one {@code sipedge-dialog-store} thread, except the load at start
 * (on the starting thread, before any SIP traffic).
 */
public final class PersistenceService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PersistenceService.class);
    private static final Duration FLUSH_LIMIT = Duration.ofSeconds(30);
    private static final Duration RESTORE_LIMIT = Duration.ofSeconds(60);

    private final DialogStore store;
    private final ScheduledExecutorService thread;
    private final DialogPersistence queue;

    private PersistenceService(DialogStore store, ScheduledExecutorService thread, DialogPersistence queue) {
        this.store = store;
        this.thread = thread;
        this.queue = queue;
    }

    /**
     * Opens the store and restores its dialogs (each into the tracker that owns its Call-ID); null
     * when persistence is off. An unreachable store or a schema newer than this code refuses the
     * start ({@link StartRefused}) unless {@code start-without-restore} is set: then the proxy starts
     * empty and keeps trying to write.
     */
    public static PersistenceService start(PersistenceSettings settings, DialogModule dialogs,
                                           Function<String, DialogTracker> trackerOf, MeterRegistry registry) {
        if (!settings.enabled()) {
            return null;
        }
        DialogStore store;
        List<DialogRecord> records;
        long started = System.nanoTime();
        try {
            JdbcDialogStore opened = JdbcDialogStore.open(settings.url(), Clock.systemUTC());
            store = opened;
            records = opened.loadAll();
        } catch (DialogStoreException e) {
            if (!settings.startWithoutRestore()) {
                throw new StartRefused("sipedge.dialog.persistence: " + e.getMessage()
                        + " (set sipedge.dialog.persistence.start-without-restore = true to start without the"
                        + " stored calls)", e);
            }
            log.warn("starting without restoring dialogs (start-without-restore): {}", e.getMessage());
            store = new ReopeningStore(() -> JdbcDialogStore.open(settings.url(), Clock.systemUTC()));
            records = List.of();
        }
        int restored;
        try {
            restored = dialogs.restore(records, trackerOf, System.currentTimeMillis())
                    .get(RESTORE_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.close();
            throw new StartRefused("interrupted while restoring dialogs", e);
        } catch (ExecutionException | TimeoutException e) {
            store.close();
            throw new IllegalStateException("restoring dialogs failed: " + e, e);
        }
        log.info("dialog persistence {}: restored {} of {} stored dialogs in {} ms", settings.mode(), restored,
                records.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("sipedge-dialog-store", true));
        DialogPersistence queue = new DialogPersistence(settings, store, new DialogPersistence.StoreThread() {
            @Override
            public void execute(Runnable task) {
                thread.execute(task);
            }

            @Override
            public void schedule(Runnable task, Duration delay) {
                thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }, System::currentTimeMillis, System::nanoTime, registry);
        queue.storedAtStart(records.stream().map(DialogRecord::id).toList());
        // restored under a new did (another node id wrote them): the old rows would come back again
        String ours = dialogs.settings().nodeId() + ".";
        queue.forget(records.stream().map(DialogRecord::id).filter(id -> !id.startsWith(ours)).toList());
        dialogs.useDurableChanges(queue);
        queue.start();
        return new PersistenceService(store, thread, queue);
    }

    /**
     * Writes everything waiting, on the store's thread (behind a write in progress, so an older
     * snapshot never lands after a newer one). True when the store has it all.
     */
    public boolean flush() {
        try {
            boolean done = thread.submit(queue::flush).get(FLUSH_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                log.warn("dialog persistence: {} dialogs not written at stop (the store fails)", queue.backlog());
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("dialog persistence: flush at stop failed: {}", e.toString());
            return false;
        }
    }

    /** Flushes what is left, then stops the store's thread and closes the store. */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        flush();
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}

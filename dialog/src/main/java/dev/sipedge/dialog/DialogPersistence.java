package dev.sipedge.dialog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-behind queue between the shards and the {@link DialogStore}. Shards hand in snapshots
 * ({@link #changed}, {@link #ended}); they are coalesced per dialog id (the latest wins) in a
 * bounded map and written in batches on the store's one thread, never on a shard: realtime as
 * soon as that thread is free, delayed every period, shutdown only at {@link #flush}.
 *
 * <p>A failing store never reaches the shards: the batch goes back into the map (unless a newer
 * change of the same dialog came meanwhile) and is retried with a back-off of 100 ms doubling
 * up to 30 s. While the map holds {@code maxBacklog} dialogs, a change of a dialog not already
 * waiting is dropped and counted (its last written state stays in the store); an end is always
 * accepted, so an ended call is never restored.
 */
public final class DialogPersistence implements DurableChanges {
    private static final Logger log = LoggerFactory.getLogger(DialogPersistence.class);
    static final int BATCH = 500;
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);

    /** The store's own thread: runs tasks in order, now or after a delay. */
    public interface StoreThread {
        void execute(Runnable task);

        void schedule(Runnable task, Duration delay);
    }

    /** What waits for the store for one dialog id. */
    private sealed interface Pending permits Save, Delete {
    }

    private record Save(DialogRecord record) implements Pending {
    }

    private record Delete() implements Pending {
    }

    private static final Delete DELETE = new Delete();

    private final PersistenceSettings settings;
    private final DialogStore store;
    private final StoreThread thread;
    private final LongSupplier wallMillis;
    private final LongSupplier nanos;
    private final Object lock = new Object();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Shutdown mode: ids in the store since the start. */
    private final Set<String> stored = new HashSet<>();
    /** A drain is queued on the store thread or a retry is scheduled: no other is started. */
    private boolean draining;
    /** Changes taken for the write in progress: still waiting, for the backlog. */
    private int inFlight;
    private int failuresInRow;
    private final Counter writes;
    private final Counter errors;
    private final Counter dropped;

    public DialogPersistence(PersistenceSettings settings, DialogStore store, StoreThread thread,
                             LongSupplier wallMillis, LongSupplier nanos, MeterRegistry registry) {
        this.settings = settings;
        this.store = store;
        this.thread = thread;
        this.wallMillis = wallMillis;
        this.nanos = nanos;
        writes = Counter.builder("sipedge_dialog_persistence_writes")
                .description("Dialog saves and deletes committed to the store").register(registry);
        errors = Counter.builder("sipedge_dialog_persistence_errors")
                .description("Failed writes to the dialog store (each retried)").register(registry);
        dropped = Counter.builder("sipedge_dialog_persistence_dropped")
                .description("Dialog changes dropped because the backlog was full").register(registry);
        Gauge.builder("sipedge_dialog_persistence_backlog", this, DialogPersistence::backlog)
                .description("Dialogs whose latest change waits for the store").register(registry);
    }

    /** Starts the periodic writes of {@link PersistenceMode#DELAYED}; nothing for the other modes. */
    public void start() {
        if (settings.mode() == PersistenceMode.DELAYED) {
            thread.schedule(this::tick, settings.updatePeriod());
        }
    }

    @Override
    public void changed(Dialog dialog) {
        if (settings.mode() == PersistenceMode.NONE) {
            return;
        }
        Optional<DialogRecord> record = DialogRecords.of(dialog, wallMillis.getAsLong(), nanos.getAsLong());
        record.ifPresent(r -> offer(r.id(), new Save(r)));
    }

    @Override
    public void ended(Dialog dialog) {
        if (settings.mode() == PersistenceMode.NONE || !dialog.answered()) {
            return;     // an unanswered dialog was never stored
        }
        String id = dialog.id();
        if (settings.mode() == PersistenceMode.SHUTDOWN) {
            synchronized (lock) {
                if (!stored.contains(id)) {
                    pending.remove(id);     // never written: nothing to delete, and the map stays bounded
                    return;
                }
                stored.remove(id);
            }
        }
        offer(id, DELETE);
    }

    /**
     * The ids the store held at start (restored): in {@link PersistenceMode#SHUTDOWN} only these
     * need a delete when they end before the stop.
     */
    public void storedAtStart(Collection<String> ids) {
        synchronized (lock) {
            stored.addAll(ids);
        }
    }

    /**
     * Deletes stored records that no dialog of this run will write again: those restored under a
     * new did because another node id wrote them (their changes are now written under the new did).
     */
    public void forget(Collection<String> ids) {
        if (settings.mode() == PersistenceMode.NONE) {
            return;
        }
        for (String id : ids) {
            synchronized (lock) {
                stored.add(id);     // shutdown mode: a delete is due
            }
            offer(id, DELETE);
        }
    }

    /** Dialogs whose latest change is not committed yet (waiting or being written). Any thread. */
    public int backlog() {
        synchronized (lock) {
            return pending.size() + inFlight;
        }
    }

    private void offer(String id, Pending change) {
        boolean start;
        synchronized (lock) {
            if (change instanceof Save && pending.size() >= settings.maxBacklog() && !pending.containsKey(id)) {
                dropped.increment();
                return;
            }
            pending.put(id, change);
            start = settings.mode() == PersistenceMode.REALTIME && !draining;
            if (start) {
                draining = true;
            }
        }
        if (start) {
            thread.execute(this::drain);
        }
    }

    /** Realtime: writes batches until the map is empty or the store fails. On the store thread. */
    private void drain() {
        while (true) {
            Map<String, Pending> batch = take(BATCH);
            if (batch.isEmpty()) {
                synchronized (lock) {
                    if (pending.isEmpty()) {
                        draining = false;
                        return;
                    }
                }
                continue;
            }
            if (!write(batch)) {
                thread.schedule(this::drain, backoff());
                return;     // still draining: the retry goes on
            }
        }
    }

    /** Delayed: writes all there is, then waits one period (or the back-off after a failure). */
    private void tick() {
        while (true) {
            Map<String, Pending> batch = take(BATCH);
            if (batch.isEmpty()) {
                thread.schedule(this::tick, settings.updatePeriod());
                return;
            }
            if (!write(batch)) {
                Duration retry = backoff();
                thread.schedule(this::tick, retry.compareTo(settings.updatePeriod()) < 0 ? retry : settings.updatePeriod());
                return;
            }
        }
    }

    /**
     * Writes everything waiting, on the calling thread, once (no back-off): the graceful stop's
     * last step, after the shards stopped changing dialogs. True when nothing is left.
     */
    public boolean flush() {
        if (settings.mode() == PersistenceMode.NONE) {
            return true;
        }
        while (true) {
            Map<String, Pending> batch = take(BATCH);
            if (batch.isEmpty()) {
                return true;
            }
            if (!write(batch)) {
                return false;
            }
        }
    }

    private Map<String, Pending> take(int max) {
        synchronized (lock) {
            Map<String, Pending> batch = new LinkedHashMap<>();
            Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
            while (it.hasNext() && batch.size() < max) {
                Map.Entry<String, Pending> e = it.next();
                batch.put(e.getKey(), e.getValue());
                it.remove();
            }
            inFlight = batch.size();
            return batch;
        }
    }

    /** One batch in the store; on failure it goes back, behind any newer change. */
    private boolean write(Map<String, Pending> batch) {
        List<DialogRecord> saves = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        batch.forEach((id, p) -> {
            if (p instanceof Save s) {
                saves.add(s.record());
            } else {
                deletes.add(id);
            }
        });
        try {
            if (!saves.isEmpty()) {
                store.save(saves);
            }
            if (!deletes.isEmpty()) {
                store.delete(deletes);
            }
        } catch (RuntimeException e) {
            errors.increment();
            synchronized (lock) {
                batch.forEach(pending::putIfAbsent);
                inFlight = 0;
                failuresInRow++;
            }
            if (failuresInRow == 1) {
                log.warn("dialog store write failed, retrying ({} dialogs waiting): {}", backlog(), e.toString());
            }
            return false;
        }
        writes.increment(batch.size());
        synchronized (lock) {
            inFlight = 0;
            if (failuresInRow > 0) {
                log.info("dialog store writes again after {} failures", failuresInRow);
            }
            failuresInRow = 0;
        }
        return true;
    }

    private Duration backoff() {
        int n;
        synchronized (lock) {
            n = Math.min(failuresInRow, 20);
        }
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.max(0, n - 1));
        return d.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : d;
    }
}

package dev.sipedge.dialog;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The store's thread in tests: tasks run when the test says, delayed ones on a manual clock. */
final class ManualStoreThread implements DialogPersistence.StoreThread {
    private final Deque<Runnable> now = new ArrayDeque<>();
    private final List<Delayed> later = new ArrayList<>();
    private long clockMillis;

    private record Delayed(long atMillis, Runnable task) {
    }

    @Override
    public void execute(Runnable task) {
        now.add(task);
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        later.add(new Delayed(clockMillis + delay.toMillis(), task));
    }

    /** Runs the tasks due now, also those they queue (bounded). */
    void runPending() {
        for (int i = 0; i < 10_000 && !now.isEmpty(); i++) {
            now.poll().run();
        }
        if (!now.isEmpty()) {
            throw new AssertionError("store tasks keep queueing more");
        }
    }

    /** Moves the clock, running every task that falls due on the way, in order. */
    void advance(Duration d) {
        long end = clockMillis + d.toMillis();
        for (int i = 0; i < 10_000; i++) {
            runPending();
            Delayed next = later.stream().filter(t -> t.atMillis() <= end)
                    .min((a, b) -> Long.compare(a.atMillis(), b.atMillis())).orElse(null);
            if (next == null) {
                clockMillis = end;
                return;
            }
            later.remove(next);
            clockMillis = next.atMillis();
            next.task().run();
        }
        throw new AssertionError("timers keep firing");
    }

    int queued() {
        return now.size();
    }

    int scheduled() {
        return later.size();
    }
}

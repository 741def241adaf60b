package dev.sipedge.dialog;

import dev.sipedge.transaction.ManualTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ManualTimer} that many shards may share, as they share the process's one timer wheel:
 * every call takes one lock, and {@link #advance} (from the test thread) runs the due tasks under
 * it. The tasks of the transaction layer and of {@link DialogTimeouts} only hand work to a shard,
 * so no shard ever waits for the test thread while holding anything.
 *
 * <p>Cancelling only marks the entry (the task is dropped at once, the entry fires as a no-op):
 * {@link ManualTimer}'s cancel is a linear scan of its queue, far too slow with 10^5 entries.
 */
final class StressTimer implements Timer {
    private final ManualTimer clock = new ManualTimer();

    @Override
    public synchronized Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        Entry entry = new Entry(task);
        clock.newTimeout(entry, delay, unit);
        return entry;
    }

    @Override
    public synchronized Set<Timeout> stop() {
        clock.stop();
        return Set.of();
    }

    /** Moves the virtual clock, running (on the calling thread) every task that falls due. */
    synchronized void advance(Duration step) {
        clock.advance(step);
    }

    /** The virtual clock in ns: the dialogs' monotonic clock. */
    synchronized long nanos() {
        return clock.now().toNanos();
    }

    /** Entries in the queue, cancelled ones not yet due included. */
    synchronized int queued() {
        return clock.pendingCount();
    }

    /** One scheduled task; its state is guarded by the timer's lock. */
    private final class Entry implements Timeout, TimerTask {
        private TimerTask task;
        private boolean expired;
        private boolean cancelled;

        Entry(TimerTask task) {
            this.task = task;
        }

        /** Runs inside {@link #advance}, with the lock held. */
        @Override
        public void run(Timeout ignored) throws Exception {
            if (cancelled) {
                return;
            }
            expired = true;
            TimerTask t = task;
            task = null;
            t.run(this);
        }

        @Override
        public Timer timer() {
            return StressTimer.this;
        }

        @Override
        public TimerTask task() {
            synchronized (StressTimer.this) {
                return task;
            }
        }

        @Override
        public boolean isExpired() {
            synchronized (StressTimer.this) {
                return expired;
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (StressTimer.this) {
                return cancelled;
            }
        }

        @Override
        public boolean cancel() {
            synchronized (StressTimer.this) {
                if (expired || cancelled) {
                    return false;
                }
                cancelled = true;
                task = null;
                return true;
            }
        }
    }
}

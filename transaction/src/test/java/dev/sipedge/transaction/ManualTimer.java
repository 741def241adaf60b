package dev.sipedge.transaction;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Timer} driven by the test: {@link #advance} moves a virtual clock and runs the due
 * tasks in deadline order (ties in scheduling order), including tasks scheduled by tasks that
 * fall due within the same advance. Not thread-safe; use it from the test thread only.
 * Shipped in the {@code sipedge-transaction} test-jar for other modules' tests.
 */
public final class ManualTimer implements Timer {
    /** Guards against a task that keeps rescheduling itself with zero delay. */
    private static final int MAX_FIRINGS_PER_ADVANCE = 1_000_000;

    private final PriorityQueue<ManualTimeout> queue = new PriorityQueue<>(
            Comparator.comparingLong((ManualTimeout t) -> t.deadline).thenComparingLong(t -> t.sequence));
    private long nowNanos;
    private long sequence;
    private boolean stopped;

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        if (stopped) {
            throw new IllegalStateException("timer stopped");
        }
        ManualTimeout t = new ManualTimeout(task, nowNanos + Math.max(0, unit.toNanos(delay)), sequence++);
        queue.add(t);
        return t;
    }

    @Override
    public Set<Timeout> stop() {
        stopped = true;
        Set<Timeout> left = new HashSet<>(queue);
        queue.clear();
        return left;
    }

    /** Moves the clock forward by {@code step}, running every task that falls due. */
    public void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("cannot go back in time: " + step);
        }
        long target = nowNanos + step.toNanos();
        int fired = 0;
        while (!queue.isEmpty() && queue.peek().deadline <= target) {
            if (++fired > MAX_FIRINGS_PER_ADVANCE) {
                throw new IllegalStateException("more than " + MAX_FIRINGS_PER_ADVANCE + " timer firings in one advance");
            }
            ManualTimeout t = queue.poll();
            nowNanos = t.deadline;
            t.expired = true;
            try {
                t.task.run(t);
            } catch (Exception e) {
                throw new IllegalStateException("timer task failed", e);
            }
        }
        nowNanos = target;
    }

    /** The virtual clock in nanoseconds, the time base a {@link TransactionLayer} is given with this timer. */
    public long nanoTime() {
        return nowNanos;
    }

    /** Time elapsed since the timer was created. */
    public Duration now() {
        return Duration.ofNanos(nowNanos);
    }

    /** Number of scheduled tasks neither fired nor cancelled. */
    public int pendingCount() {
        return queue.size();
    }

    /** Remaining delays of the pending tasks, soonest first. */
    public List<Duration> pendingDelays() {
        List<ManualTimeout> sorted = new ArrayList<>(queue);
        sorted.sort(queue.comparator());
        List<Duration> out = new ArrayList<>(sorted.size());
        for (ManualTimeout t : sorted) {
            out.add(Duration.ofNanos(t.deadline - nowNanos));
        }
        return out;
    }

    private final class ManualTimeout implements Timeout {
        private final TimerTask task;
        private final long deadline;
        private final long sequence;
        private boolean expired;
        private boolean cancelled;

        ManualTimeout(TimerTask task, long deadline, long sequence) {
            this.task = task;
            this.deadline = deadline;
            this.sequence = sequence;
        }

        @Override
        public Timer timer() {
            return ManualTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            if (expired || cancelled) {
                return false;
            }
            cancelled = true;
            queue.remove(this);
            return true;
        }
    }
}

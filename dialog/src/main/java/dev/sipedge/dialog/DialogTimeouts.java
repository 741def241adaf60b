package dev.sipedge.dialog;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lifetimes and delete delays of one shard's dialogs on the process's one timer wheel (Kamailio's
 * {@code dlg_timer}). A timer task only hands the dialog back to its shard.
 *
 * <p>Resetting the lifetime on every sequential request would cancel and re-create a wheel entry
 * each time; instead the deadline moves ({@link #touch}) and a timer that fires early re-arms for
 * the rest. A dialog thus has at most one timer entry at any time.
 */
final class DialogTimeouts {
    private final Timer timer;
    private final Executor shard;
    private final LongSupplier nanoClock;
    private final boolean resetOnSequential;
    private final DialogTracker tracker;

    DialogTimeouts(Timer timer, Executor shard, LongSupplier nanoClock, boolean resetOnSequential,
                   DialogTracker tracker) {
        this.timer = timer;
        this.shard = shard;
        this.nanoClock = nanoClock;
        this.resetOnSequential = resetOnSequential;
        this.tracker = tracker;
    }

    /** Starts the lifetime (at the 2xx). */
    void start(Dialog dialog) {
        dialog.deadlineNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(dialog.lifetimeMillis);
        arm(dialog, dialog.lifetimeMillis);
    }

    /** A new lifetime counted from now (the API changed it). */
    void restart(Dialog dialog) {
        cancel(dialog);
        start(dialog);
    }

    /** A sequential request: the lifetime counts again from now, unless configured otherwise. */
    void touch(Dialog dialog) {
        if (resetOnSequential && dialog.lifetimeTimer != null) {
            dialog.deadlineNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(dialog.lifetimeMillis);
        }
    }

    /** The lifetime left: counting once started, the whole lifetime before, zero once ended. */
    Duration timeLeft(Dialog dialog) {
        if (dialog.state == DialogState.ENDED) {
            return Duration.ZERO;
        }
        if (dialog.lifetimeTimer == null) {
            return Duration.ofMillis(dialog.lifetimeMillis);
        }
        return Duration.ofNanos(Math.max(0, dialog.deadlineNanos - nanoClock.getAsLong()));
    }

    void cancel(Dialog dialog) {
        if (dialog.lifetimeTimer != null) {
            dialog.lifetimeTimer.cancel();
            dialog.lifetimeTimer = null;
        }
    }

    /** Frees {@code dialog} after {@code delay}. */
    void destroyLater(Dialog dialog, Duration delay) {
        timer.newTimeout(t -> shard.execute(() -> tracker.destroy(dialog)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void arm(Dialog dialog, long delayMillis) {
        dialog.lifetimeTimer = timer.newTimeout(t -> shard.execute(() -> fired(dialog, t)),
                Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    }

    private void fired(Dialog dialog, Timeout which) {
        // A task already queued when the lifetime was restarted or cancelled finds another (or no) timer: stale.
        if (dialog.lifetimeTimer != which || dialog.state == DialogState.ENDED) {
            return;
        }
        long remaining = dialog.deadlineNanos - nanoClock.getAsLong();
        if (remaining > 0) {
            arm(dialog, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999));
            return;
        }
        dialog.lifetimeTimer = null;
        tracker.expire(dialog);
    }
}

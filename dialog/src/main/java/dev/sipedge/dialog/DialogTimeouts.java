package dev.sipedge.dialog;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lifetimes, no-ACK timeouts and delete delays of one shard's dialogs on the process's one timer
 * wheel (Kamailio's {@code dlg_timer}). A timer task only hands the dialog back to its shard.
 *
 * <p>From its 2xx until the ACK ({@link DialogState#CONFIRMED_NA}) a dialog has two deadlines: the
 * lifetime and the wait for the ACK ({@code dialog.noack-timeout}); its one timer runs toward the
 * earlier. The ACK ({@link #acked}) leaves only the lifetime. When both fall at the same time the
 * lifetime wins: a no-ACK timeout is reported only when it really cut the call short.
 *
 * <p>Resetting the lifetime on every sequential request would cancel and re-create a wheel entry
 * each time; instead the deadline moves ({@link #touch}) and a timer that fires early re-arms for
 * the rest. A dialog thus has at most one timer entry at any time.
 */
final class DialogTimeouts {
    /** Where the timers' events go: the dialog's lifecycle. */
    interface Expiry {
        void lifetimeOver(Dialog d);

        /** The 2xx was not ACKed within dialog.noack-timeout. */
        void ackMissing(Dialog d);

        void deleteDelayOver(Dialog d);
    }

    private final Timer timer;
    private final Executor shard;
    private final LongSupplier nanoClock;
    private final boolean resetOnSequential;
    private final long noAckNanos;
    private final Expiry expiry;

    DialogTimeouts(Timer timer, Executor shard, LongSupplier nanoClock, boolean resetOnSequential, Duration noAck,
                   Expiry expiry) {
        this.timer = timer;
        this.shard = shard;
        this.nanoClock = nanoClock;
        this.resetOnSequential = resetOnSequential;
        this.noAckNanos = noAck.toNanos();
        this.expiry = expiry;
    }

    /** The 2xx was relayed: the wait for its ACK and the lifetime start now. */
    void answered(Dialog dialog) {
        dialog.ackDeadlineNanos = nanoClock.getAsLong() + noAckNanos;
        start(dialog);
    }

    /** Starts the lifetime (at the 2xx, or again when it changed). */
    void start(Dialog dialog) {
        long now = nanoClock.getAsLong();
        dialog.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(dialog.lifetimeMillis);
        armForNext(dialog, now);
    }

    /**
     * A restored dialog (persistence): its deadline is {@code leftMillis} away, as stored; zero or
     * less fires just after, so a dialog that expired while the proxy was down ends as expired.
     */
    void resume(Dialog dialog, long leftMillis) {
        long now = nanoClock.getAsLong();
        dialog.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(leftMillis);
        dialog.ackDeadlineNanos = now + noAckNanos;
        armForNext(dialog, now);
    }

    /** The ACK came (the dialog is CONFIRMED now): only the lifetime is left to wait for. */
    void acked(Dialog dialog) {
        // Only a timer aimed at the no-ACK deadline is early; one aimed at the lifetime stays.
        if (dialog.lifetimeTimer != null && dialog.ackDeadlineNanos - dialog.deadlineNanos < 0) {
            cancel(dialog);
            armForNext(dialog, nanoClock.getAsLong());
        }
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

    /**
     * Time until the dialog ends on its own: the lifetime left once it counts (or the wait for the
     * ACK, when that ends first), the whole lifetime before the 2xx, zero once ended.
     */
    Duration timeLeft(Dialog dialog) {
        if (dialog.state == DialogState.ENDED) {
            return Duration.ZERO;
        }
        if (dialog.lifetimeTimer == null) {
            return Duration.ofMillis(dialog.lifetimeMillis);
        }
        return Duration.ofNanos(Math.max(0, nextDeadline(dialog) - nanoClock.getAsLong()));
    }

    void cancel(Dialog dialog) {
        if (dialog.lifetimeTimer != null) {
            dialog.lifetimeTimer.cancel();
            dialog.lifetimeTimer = null;
        }
    }

    /** Frees {@code dialog} after {@code delay} (the delete delay). */
    void freeLater(Dialog dialog, Duration delay) {
        timer.newTimeout(t -> shard.execute(() -> expiry.deleteDelayOver(dialog)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void armForNext(Dialog dialog, long now) {
        arm(dialog, TimeUnit.NANOSECONDS.toMillis(nextDeadline(dialog) - now + 999_999));
    }

    /** The earlier of the lifetime and, while the 2xx waits for its ACK, the no-ACK deadline. */
    private static long nextDeadline(Dialog dialog) {
        return waitsForAck(dialog) ? dialog.ackDeadlineNanos : dialog.deadlineNanos;
    }

    private static boolean waitsForAck(Dialog dialog) {
        // Compared as a difference: nanoTime values may wrap.
        return dialog.state == DialogState.CONFIRMED_NA && dialog.ackDeadlineNanos - dialog.deadlineNanos < 0;
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
        long now = nanoClock.getAsLong();
        if (nextDeadline(dialog) - now > 0) {
            armForNext(dialog, now);
            return;
        }
        dialog.lifetimeTimer = null;
        if (waitsForAck(dialog)) {
            expiry.ackMissing(dialog);
        } else {
            expiry.lifetimeOver(dialog);
        }
    }
}

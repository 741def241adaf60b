package dev.sipedge.proxy;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;

/**
 * One armed task of a {@link TimerWheel}, and its place in the wheel's bucket list. Its state
 * moves once, from active to expired (by the owner, when due) or to cancelled (by anyone); the
 * compare-and-set decides a race between the two, so a task never runs after a cancel returned
 * true.
 */
final class WheelTimeout implements Timeout {
    private static final int ACTIVE = 0;
    private static final int CANCELLED = 1;
    private static final int EXPIRED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WheelTimeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Timer timer;
    private final TimerTask task;
    private final TimerWheel wheel;
    private final long deadlineNanos;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    // owned by the wheel's thread
    WheelTimeout prev;
    WheelTimeout next;
    WheelTimeout nextDue;
    long dueTick;
    boolean linked;

    WheelTimeout(Timer timer, TimerTask task, TimerWheel wheel, long deadlineNanos) {
        this.timer = timer;
        this.task = task;
        this.wheel = wheel;
        this.deadlineNanos = deadlineNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean isActive() {
        return (int) STATE.getAcquire(this) == ACTIVE;
    }

    /** The owner's move from active to expired; false when a cancel came first. */
    boolean expire() {
        return STATE.compareAndSet(this, ACTIVE, EXPIRED);
    }

    @Override
    public Timer timer() {
        return timer;
    }

    @Override
    public TimerTask task() {
        return task;
    }

    @Override
    public boolean isExpired() {
        return (int) STATE.getAcquire(this) == EXPIRED;
    }

    @Override
    public boolean isCancelled() {
        return (int) STATE.getAcquire(this) == CANCELLED;
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, ACTIVE, CANCELLED)) {
            return false;
        }
        if (wheel.owner().inEventLoop()) {
            wheel.remove(this);
        } else {
            try {
                wheel.owner().execute(() -> wheel.remove(this));
            } catch (RejectedExecutionException stopped) {
                // the owner has stopped, and its wheel with it: nothing is left to unlink
            }
        }
        return true;
    }
}

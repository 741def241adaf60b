package dev.sipedge.proxy;

import dev.sipedge.transport.CallOwners;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The proxy's timer: one {@link TimerWheel} per shard, ticked by a periodic task on the shard's
 * own executor, instead of one timer thread for all. A timeout is armed on the wheel of the shard
 * that arms it and its task runs there; one armed from any other thread (the management API, a
 * restore) goes to shard 0's wheel, and its task hands its work to the owning shard as every
 * timer task does.
 *
 * <p>Why: a timer thread that sleeps and wakes 100 times a second cost 8-12 µs per call at
 * 1,000 calls/s on the bench, two thirds of it the sleeping and waking (docs/performance.md);
 * a shard's event loop is awake for its traffic anyway, so a tick there rides on that.
 */
public final class ShardTimers implements Timer {
    private static final int WHEEL_SIZE = 1024;
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final EventExecutor[] owners;
    private final TimerWheel[] wheels;
    private final ScheduledFuture<?>[] ticks;
    private final LongSupplier nanoClock;
    private volatile boolean stopped;

    public ShardTimers(CallOwners shards, Duration tick) {
        this(shards, tick, System::nanoTime);
    }

    ShardTimers(CallOwners shards, Duration tick, LongSupplier nanoClock) {
        long tickNanos = tick.toNanos();
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("timer tick must be positive: " + tick);
        }
        this.nanoClock = nanoClock;
        int n = shards.size();
        owners = new EventExecutor[n];
        wheels = new TimerWheel[n];
        ticks = new ScheduledFuture<?>[n];
        for (int i = 0; i < n; i++) {
            owners[i] = shards.get(i);
            wheels[i] = new TimerWheel(WHEEL_SIZE, tickNanos, nanoClock, owners[i]);
            TimerWheel wheel = wheels[i];
            // with a fixed delay, not rate: after a stall one advance catches up (it reads the
            // clock), where a fixed rate would replay every missed tick back to back
            ticks[i] = owners[i].scheduleWithFixedDelay(wheel::advance, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        if (stopped) {
            throw new IllegalStateException("the timer has stopped");
        }
        int shard = currentShard();
        TimerWheel wheel = wheels[shard < 0 ? 0 : shard];
        WheelTimeout timeout = new WheelTimeout(this, task, wheel, deadline(unit.toNanos(delay)));
        if (shard >= 0) {
            wheel.add(timeout);
            return timeout;
        }
        try {
            wheel.owner().execute(() -> wheel.add(timeout));
        } catch (RejectedExecutionException shardStopped) {
            throw new IllegalStateException("the timer's shards have stopped", shardStopped);
        }
        return timeout;
    }

    /**
     * Stops the ticks and returns the timeouts that had not run, unlinked from their wheels (each
     * wheel is emptied on its own thread; one whose thread has already stopped has nothing left
     * to run anyway and is skipped). Meant for the thread that closes the proxy: called on a
     * shard, it waits up to two seconds for each other shard.
     */
    @Override
    public Set<Timeout> stop() {
        stopped = true;
        Set<Timeout> left = new HashSet<>();
        for (int i = 0; i < wheels.length; i++) {
            ticks[i].cancel(false);
            TimerWheel wheel = wheels[i];
            if (owners[i].inEventLoop()) {
                left.addAll(wheel.drain());
                continue;
            }
            try {
                Future<List<WheelTimeout>> drained = owners[i].submit(wheel::drain);
                if (drained.awaitUninterruptibly(STOP_WAIT_MILLIS) && drained.isSuccess()) {
                    left.addAll(drained.getNow());
                }
            } catch (RejectedExecutionException shardStopped) {
                // nothing runs on a stopped shard
            }
        }
        return left;
    }

    /** Timeouts pending on one shard's wheel; read it on that shard's thread. */
    int pendingOn(int shard) {
        return wheels[shard].pending();
    }

    /** Now plus a delay, a negative one counted as none and one past the clock's range as never. */
    private long deadline(long delayNanos) {
        long now = nanoClock.getAsLong();
        long deadline = now + Math.max(0, delayNanos);
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    private int currentShard() {
        for (int i = 0; i < owners.length; i++) {
            if (owners[i].inEventLoop()) {
                return i;
            }
        }
        return -1;
    }
}

package dev.sipedge.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel that belongs to one shard's thread and is advanced by that thread (a tick
 * task on the shard's own executor), so arming, cancelling and expiring a timeout take no lock,
 * no queue and no second thread. Every method except {@link WheelTimeout#cancel()} runs on the
 * owner; a cancel from elsewhere marks the timeout and lets the owner unlink it.
 *
 * <p>A timeout is due on the first tick at or after its deadline, never before it: the wheel is
 * as coarse as its tick, as Netty's {@code HashedWheelTimer} is. A timeout further away than one
 * turn of the wheel stays in its bucket and is passed over until its turn comes.
 */
final class TimerWheel {
    private static final Logger log = LoggerFactory.getLogger(TimerWheel.class);

    private final WheelTimeout[] buckets;
    private final int mask;
    private final long tickNanos;
    private final long originNanos;
    private final LongSupplier nanoClock;
    private final EventExecutor owner;
    /** The last tick whose bucket has been expired. */
    private long ticked;
    private int pending;

    /** {@code size} is rounded up to a power of two. */
    TimerWheel(int size, long tickNanos, LongSupplier nanoClock, EventExecutor owner) {
        if (size < 1 || tickNanos <= 0) {
            throw new IllegalArgumentException("a wheel needs buckets and a positive tick: " + size + ", " + tickNanos);
        }
        int buckets = 1;
        while (buckets < size) {
            buckets <<= 1;
        }
        this.buckets = new WheelTimeout[buckets];
        this.mask = buckets - 1;
        this.tickNanos = tickNanos;
        this.nanoClock = nanoClock;
        this.originNanos = nanoClock.getAsLong();
        this.owner = owner;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    EventExecutor owner() {
        return owner;
    }

    /** Timeouts armed and neither expired nor cancelled yet. */
    int pending() {
        return pending;
    }

    /** Links {@code timeout} into the bucket of its tick; one cancelled on its way here is left out. */
    void add(WheelTimeout timeout) {
        if (!timeout.isActive()) {
            return;
        }
        long due = Math.max(ticked + 1, ceilDiv(saturatedDifference(timeout.deadlineNanos(), originNanos), tickNanos));
        timeout.dueTick = due;
        int bucket = (int) (due & mask);
        WheelTimeout head = buckets[bucket];
        timeout.next = head;
        timeout.prev = null;
        if (head != null) {
            head.prev = timeout;
        }
        buckets[bucket] = timeout;
        timeout.linked = true;
        pending++;
    }

    /** Unlinks {@code timeout} if it is still in a bucket. */
    void remove(WheelTimeout timeout) {
        if (!timeout.linked) {
            return;
        }
        int bucket = (int) (timeout.dueTick & mask);
        if (timeout.prev == null) {
            buckets[bucket] = timeout.next;
        } else {
            timeout.prev.next = timeout.next;
        }
        if (timeout.next != null) {
            timeout.next.prev = timeout.prev;
        }
        timeout.prev = null;
        timeout.next = null;
        timeout.linked = false;
        pending--;
    }

    /**
     * Expires every timeout due by now, tick by tick so that earlier deadlines run first; a wheel
     * that fell more than a turn behind (a stalled thread) expires the rest in one sweep, after
     * moving to now, so that what a task arms lands after the sweep and not in a bucket already
     * passed. Returns how many tasks ran.
     */
    int advance() {
        long target = Math.floorDiv(now() - originNanos, tickNanos);
        int ran = 0;
        while (ticked < target) {
            if (target - ticked > buckets.length) {
                WheelTimeout due = null;
                for (int b = 0; b < buckets.length; b++) {
                    due = unlinkDue(b, target, due);
                }
                ticked = target;
                return ran + run(due);
            }
            ticked++;
            ran += run(unlinkDue((int) (ticked & mask), ticked, null));
        }
        return ran;
    }

    /** Unlinks every timeout still pending and returns them unrun, for a timer being stopped. */
    List<WheelTimeout> drain() {
        List<WheelTimeout> left = new ArrayList<>(pending);
        for (int b = 0; b < buckets.length; b++) {
            while (buckets[b] != null) {
                WheelTimeout t = buckets[b];
                remove(t);
                if (t.isActive()) {
                    left.add(t);
                }
            }
        }
        return left;
    }

    /**
     * Unlinks the bucket's timeouts due by {@code upToTick} onto the {@code due} stack, to be run
     * after the walk, so a task may arm or cancel timeouts in the same bucket without upsetting
     * it. A bucket lists its newest first, so its oldest ends on top: a tick's timeouts run in
     * the order they were armed.
     */
    private WheelTimeout unlinkDue(int bucket, long upToTick, WheelTimeout due) {
        WheelTimeout t = buckets[bucket];
        while (t != null) {
            WheelTimeout next = t.next;
            if (t.dueTick <= upToTick) {
                remove(t);
                t.nextDue = due;
                due = t;
            }
            t = next;
        }
        return due;
    }

    /**
     * Runs each timeout a cancel has not claimed. Whatever a task throws, Errors included, is
     * logged and the rest still run: a task that escaped would end the shard's tick task, and
     * with it every timer of the shard.
     */
    private static int run(WheelTimeout due) {
        int ran = 0;
        while (due != null) {
            WheelTimeout next = due.nextDue;
            due.nextDue = null;
            if (due.expire()) {
                ran++;
                try {
                    due.task().run(due);
                } catch (Throwable e) {
                    log.warn("a timer task failed; the wheel goes on", e);
                }
            }
            due = next;
        }
        return ran;
    }

    /** {@code a - b}, held at Long.MAX_VALUE or MIN_VALUE where it would overflow (a deadline "never"). */
    private static long saturatedDifference(long a, long b) {
        long d = a - b;
        if (((a ^ b) & (a ^ d)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return d;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}

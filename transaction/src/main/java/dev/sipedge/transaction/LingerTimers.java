package dev.sipedge.transaction;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The lingering timers ({@link SipTimer#lingers()}: D, I, J, K, L, M) of one shard's
 * transactions. Tens of thousands of transactions linger at once under load (64*T1 = 32 s on
 * UDP), and a timeout of their own cost each about 80 bytes (the wheel's entry and its task) and
 * the timer thread an expiry and a hand-off to the shard apiece. Every start of one of these
 * timers uses the layer's same duration, so their deadlines come in start order: one FIFO per
 * timer, a slot of two arrays per entry, and one timeout for the head of each FIFO, whose
 * expiry runs every due entry in one hand-off to the shard. The next expiry comes no sooner than
 * {@link #BATCH_WINDOW} after one: under load a deadline falls due every millisecond, and a
 * hand-off per timer tick wakes an event loop each time for a handful of entries, where a state
 * that lasts seconds loses nothing by ending a tenth of a second late.
 *
 * <p>Confined to the shard, except the timeout's task, which only hands over. A cancelled entry
 * stays queued until its deadline and is then skipped by the transaction; a FIFO with no live
 * entry left is emptied at once.
 */
final class LingerTimers {
    private static final int INITIAL_CAPACITY = 16;
    /** How many of a FIFO's newest entries a cancellation searches for its transaction. */
    private static final int RECENT = 8;
    /** The least time between two expiries of one FIFO; no entry ends later than this past its deadline. */
    static final Duration BATCH_WINDOW = Duration.ofMillis(100);

    private final Timer timer;
    private final LongSupplier nanoClock;
    private final Consumer<Runnable> onShard;
    private final Fifo[] fifos = new Fifo[SipTimer.values().length];

    LingerTimers(Timer timer, LongSupplier nanoClock, Consumer<Runnable> onShard) {
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.onShard = onShard;
    }

    /** Queues {@code which} for {@code tx}; it fires through {@link FsmTransaction#lingerExpired} after {@code delay}. */
    void start(FsmTransaction<?, ?> tx, SipTimer which, Duration delay) {
        Fifo fifo = fifos[which.ordinal()];
        if (fifo == null) {
            fifo = new Fifo(which);
            fifos[which.ordinal()] = fifo;
        }
        fifo.add(tx, nanoClock.getAsLong() + delay.toNanos());
    }

    /** {@code tx} stopped waiting for {@code which} before it fired (it left the state otherwise). */
    void cancelled(FsmTransaction<?, ?> tx, SipTimer which) {
        fifos[which.ordinal()].cancelled(tx);
    }

    /** Entries of {@code which} still holding their transaction, cancelled or not; for tests. */
    int held(SipTimer which) {
        Fifo fifo = fifos[which.ordinal()];
        if (fifo == null) {
            return 0;
        }
        int count = 0;
        for (FsmTransaction<?, ?> tx : fifo.txs) {
            if (tx != null) {
                count++;
            }
        }
        return count;
    }

    private final class Fifo {
        private final SipTimer which;
        private FsmTransaction<?, ?>[] txs = new FsmTransaction<?, ?>[INITIAL_CAPACITY];
        private long[] deadlines = new long[INITIAL_CAPACITY];
        private int head;
        private int size;
        /** Entries not cancelled; at zero the FIFO is dropped with its timeout. */
        private int live;
        /** The timeout set for the head's deadline; null when the FIFO is empty. */
        private Timeout armed;

        Fifo(SipTimer which) {
            this.which = which;
        }

        void add(FsmTransaction<?, ?> tx, long deadline) {
            if (size == txs.length) {
                grow();
            }
            int tail = (head + size) & (txs.length - 1);
            txs[tail] = tx;
            deadlines[tail] = deadline;
            size++;
            live++;
            if (armed == null) {
                arm(deadline - nanoClock.getAsLong());
            }
        }

        /**
         * Most cancellations come right after the timer was queued (a settled INVITE transaction
         * ends as soon as it entered Accepted), so the newest entries are searched for {@code tx}
         * and its reference dropped: the ended transaction, and all it refers to, is not kept
         * until the deadline. An older entry keeps its reference until then, and is skipped.
         */
        void cancelled(FsmTransaction<?, ?> tx) {
            for (int k = size - 1; k >= 0 && k >= size - RECENT; k--) {
                int at = (head + k) & (txs.length - 1);
                if (txs[at] == tx) {
                    txs[at] = null;
                    break;
                }
            }
            if (--live == 0) {
                if (armed != null) {
                    armed.cancel();
                    armed = null;
                }
                head = 0;
                size = 0;
                release();
            }
        }

        /** Empty: back to the first capacity, so a burst's arrays do not outlive it; else cleared. */
        private void release() {
            if (txs.length > INITIAL_CAPACITY) {
                txs = new FsmTransaction<?, ?>[INITIAL_CAPACITY];
                deadlines = new long[INITIAL_CAPACITY];
            } else {
                Arrays.fill(txs, null);
            }
        }

        private void arm(long delayNanos) {
            TimerTask task = timeout -> onShard.accept(() -> expire(timeout));
            armed = timer.newTimeout(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }

        /** On the shard: fires every entry due, then sets the timeout for the next. */
        private void expire(Timeout fired) {
            if (fired != armed) {
                return; // the FIFO was emptied (every entry cancelled) after this timeout went off
            }
            armed = null;
            long now = nanoClock.getAsLong();
            while (size > 0 && deadlines[head] <= now) {
                FsmTransaction<?, ?> tx = txs[head];
                txs[head] = null;
                head = (head + 1) & (txs.length - 1);
                size--;
                if (tx != null && tx.lingerExpired(which)) {
                    live--;
                }
            }
            if (size == 0) {
                head = 0;
                release();
            } else if (armed == null) {
                arm(Math.max(deadlines[head] - now, BATCH_WINDOW.toNanos()));
            }
        }

        private void grow() {
            FsmTransaction<?, ?>[] moreTxs = new FsmTransaction<?, ?>[txs.length * 2];
            long[] moreDeadlines = new long[txs.length * 2];
            for (int i = 0; i < size; i++) {
                int from = (head + i) & (txs.length - 1);
                moreTxs[i] = txs[from];
                moreDeadlines[i] = deadlines[from];
            }
            txs = moreTxs;
            deadlines = moreDeadlines;
            head = 0;
        }
    }
}

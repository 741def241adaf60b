package dev.sipedge.proxy;

import dev.sipedge.transport.CallOwners;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The single-threaded executors that own calls (STYLE.md "Threads and ownership"): every
 * message, timer and callback of one Call-ID runs on the same executor, in arrival order, so call
 * state needs no locks and a 180 can never overtake its 200.
 */
public final class Shards implements CallOwners, AutoCloseable {
    private final EventExecutor[] executors;
    private final boolean owned;

    /** {@code count} dedicated shard threads, stopped by {@link #close()}. */
    public Shards(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one shard: " + count);
        }
        executors = new EventExecutor[count];
        DefaultThreadFactory threads = new DefaultThreadFactory("sipedge-shard", false);
        for (int i = 0; i < count; i++) {
            executors[i] = new DefaultEventExecutor(threads);
        }
        owned = true;
    }

    private Shards(List<EventExecutor> borrowed) {
        if (borrowed.isEmpty()) {
            throw new IllegalArgumentException("need at least one shard");
        }
        executors = borrowed.toArray(new EventExecutor[0]);
        owned = false;
    }

    /**
     * Shards that run on executors owned by someone else (the transport's I/O event loops):
     * a message for a call owned by the loop that received it is handled without a thread hop.
     * {@link #close()} leaves them running.
     */
    public static Shards borrowing(List<EventExecutor> executors) {
        return new Shards(executors);
    }

    @Override
    public int size() {
        return executors.length;
    }

    @Override
    public EventExecutor get(int index) {
        return executors[index];
    }

    /** The shard that owns {@code callId}; a message without one goes to shard 0. */
    @Override
    public int indexFor(String callId) {
        if (callId == null) {
            return 0;
        }
        int h = callId.hashCode();
        h ^= h >>> 16;
        return Math.floorMod(h, executors.length);
    }

    @Override
    public void close() {
        if (!owned) {
            return;
        }
        for (EventExecutor e : executors) {
            e.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        for (EventExecutor e : executors) {
            e.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}

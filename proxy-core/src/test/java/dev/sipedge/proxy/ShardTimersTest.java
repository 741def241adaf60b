package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wheels on two real shard threads: where a task runs, cancels from elsewhere, stop. */
class ShardTimersTest {
    private static final long WAIT_SECONDS = 10;

    private final Shards shards = new Shards(2);
    private final ShardTimers timers = new ShardTimers(shards, Duration.ofMillis(5));

    @AfterEach
    void close() {
        timers.stop();
        shards.close();
    }

    private Timeout armOn(int shard, long delayMillis, Runnable task) throws Exception {
        return shards.get(shard).submit(() -> timers.newTimeout(t -> task.run(), delayMillis, TimeUnit.MILLISECONDS))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aTimeoutRunsOnTheShardThatArmedIt() throws Exception {
        for (int shard = 0; shard < 2; shard++) {
            AtomicReference<Boolean> onShard = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            int owner = shard;
            armOn(shard, 1, () -> {
                onShard.set(shards.get(owner).inEventLoop());
                done.countDown();
            });
            assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(onShard.get(), "shard " + shard);
        }
    }

    @Test
    void aTimeoutArmedOffTheShardsRunsOnShardZero() throws Exception {
        AtomicReference<Boolean> onShardZero = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        timers.newTimeout(t -> {
            onShardZero.set(shards.get(0).inEventLoop());
            done.countDown();
        }, 1, TimeUnit.MILLISECONDS);
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(onShardZero.get());
    }

    @Test
    void aCancelFromAnotherThreadKeepsTheTaskFromRunning() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch later = new CountDownLatch(1);
        Timeout cancelled = armOn(1, 60_000, () -> ran.add("cancelled"));
        assertTrue(cancelled.cancel());
        armOn(1, 20, () -> {
            ran.add("later");
            later.countDown();
        });
        assertTrue(later.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("later"), ran);
        assertTrue(cancelled.isCancelled());
        // the owner unlinked it too: nothing cancelled stays in the wheel
        assertEquals(0, shards.get(1).submit(() -> timers.pendingOn(1)).get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aDelayPastTheClocksRangeNeverRuns() throws Exception {
        CountDownLatch soon = new CountDownLatch(1);
        Timeout never = timers.newTimeout(t -> { }, Long.MAX_VALUE, TimeUnit.DAYS);
        timers.newTimeout(t -> soon.countDown(), 20, TimeUnit.MILLISECONDS);
        assertTrue(soon.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(never.isExpired());
    }

    @Test
    void stopReturnsWhatHadNotRunAndRefusesNewTimeouts() throws Exception {
        Timeout onZero = armOn(0, 60_000, () -> { });
        Timeout onOne = armOn(1, 60_000, () -> { });
        Set<Timeout> left = timers.stop();
        assertEquals(Set.of(onZero, onOne), left);
        assertFalse(onZero.isExpired());
        assertThrows(IllegalStateException.class, () -> timers.newTimeout(t -> { }, 1, TimeUnit.SECONDS));
    }
}

package dev.sipedge.dialog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sipedge.dialog.Dialog;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogPersistence;
import dev.sipedge.dialog.DialogRecord;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.DialogTracker;
import dev.sipedge.dialog.LegRecord;
import dev.sipedge.dialog.MatchMode;
import dev.sipedge.dialog.PersistenceMode;
import dev.sipedge.dialog.PersistenceSettings;
import dev.sipedge.dialog.PingMode;
import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.recordroute.LocalInterface;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.HashedWheelTimer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements, not checks of behaviour (run with {@code -Dsipedge.bench=true}): the time to load
 * and rebuild 20,000 dialogs from a SQLite file, and the realtime loss window (a change handed to
 * the queue until its commit) one change at a time.
 */
class PersistenceBenchTest {
    private static final int DIALOGS = Integer.getInteger("sipedge.bench.dialogs", 20_000);

    @TempDir
    Path dir;

    private static DialogRecord record(int i, Instant now) {
        Flow flow = new Flow(TransportKind.UDP, new InetSocketAddress("127.0.0.1", 5060),
                new InetSocketAddress("192.0.2." + (i % 250), 5062));
        LegRecord caller = new LegRecord("a-" + i, "sip:alice" + i + "@example.com", "sip:alice@192.0.2.1:5062",
                List.of(), flow, 1, 2, 0, -1, 0, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", 0);
        LegRecord callee = new LegRecord("b-" + i, "sip:bob@example.com", "sip:bob@192.0.2.2:5070",
                List.of("sip:edge2.example.com;lr"), flow, 100, 1, 0, 1, 0, null, 0);
        return new DialogRecord("bench." + Long.toString(i + 1, 36), "call-" + i + "@bench", DialogState.CONFIRMED, 1,
                now.minusSeconds(60), now.minusSeconds(55), now.plus(Duration.ofHours(1)), Duration.ofHours(2), true,
                PingMode.OPTIONS, PingMode.NONE, caller, callee, Map.of("account", Integer.toString(i)), Set.of("f"),
                List.of(new DialogRecord.ProfileSlot("inbound", null)));
    }

    private static DialogModule module() {
        return new DialogModule(new DialogSettings("bench", "did", MatchMode.DID_FALLBACK, false, Duration.ofHours(12),
                true, Duration.ZERO, true, List.of(), List.of("inbound")), new SimpleMeterRegistry());
    }

    @Test
    void restoreTwentyThousandDialogsAndTheRealtimeLossWindow() throws Exception {
        assumeTrue(Boolean.getBoolean("sipedge.bench"), "a measurement: -Dsipedge.bench=true");
        String url = "jdbc:sqlite:" + dir.resolve("dialogs.db");
        Instant now = Instant.now();
        List<DialogRecord> records = new ArrayList<>(DIALOGS);
        for (int i = 0; i < DIALOGS; i++) {
            records.add(record(i, now));
        }
        try (JdbcDialogStore store = JdbcDialogStore.open(url, Clock.systemUTC())) {
            long t = System.nanoTime();
            for (int i = 0; i < DIALOGS; i += 500) {
                store.save(records.subList(i, Math.min(DIALOGS, i + 500)));
            }
            System.out.printf("bench: saved %d dialogs in batches of 500 in %d ms%n", DIALOGS, ms(t));
        }
        HashedWheelTimer timer = new HashedWheelTimer();
        ScheduledExecutorService storeThread = Executors.newSingleThreadScheduledExecutor();
        try (JdbcDialogStore store = JdbcDialogStore.open(url, Clock.systemUTC())) {
            long t0 = System.nanoTime();
            List<DialogRecord> loaded = store.loadAll();
            long loadMs = ms(t0);
            DialogModule module = module();
            LocalIdentity identity = new LocalIdentity(List.of(new LocalInterface("127.0.0.1", 5060, "udp")));
            DialogTracker[] trackers = new DialogTracker[2];
            for (int i = 0; i < trackers.length; i++) {
                trackers[i] = module.newTracker(Runnable::run, timer, identity, System::nanoTime);
            }
            long t1 = System.nanoTime();
            int restored = module.restore(loaded, c -> trackers[Math.floorMod(c.hashCode(), 2)],
                    System.currentTimeMillis()).get(60, TimeUnit.SECONDS);
            long rebuildMs = ms(t1);
            assertEquals(DIALOGS, restored);
            assertEquals(DIALOGS, module.profiles().get("inbound").size());
            System.out.printf("bench: restore of %d dialogs from SQLite: load %d ms + rebuild %d ms = %d ms%n",
                    DIALOGS, loadMs, rebuildMs, loadMs + rebuildMs);

            // Loss window: one change at a time, from changed() on the "shard" to the commit.
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            DialogPersistence queue = new DialogPersistence(new PersistenceSettings(PersistenceMode.REALTIME, url,
                    Duration.ofSeconds(60), false, 100_000), store, new DialogPersistence.StoreThread() {
                        @Override
                        public void execute(Runnable task) {
                            storeThread.execute(task);
                        }

                        @Override
                        public void schedule(Runnable task, Duration delay) {
                            storeThread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                        }
                    }, System::currentTimeMillis, System::nanoTime, registry);
            int samples = 500;
            long[] micros = new long[samples];
            for (int i = 0; i < samples; i++) {
                Dialog d = trackers[Math.floorMod(records.get(i).callId().hashCode(), 2)].find(records.get(i).id());
                long start = System.nanoTime();
                queue.changed(d);
                long deadline = start + TimeUnit.SECONDS.toNanos(5);
                while (queue.backlog() > 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                micros[i] = (System.nanoTime() - start) / 1000;
            }
            Arrays.sort(micros);
            System.out.printf("bench: realtime loss window over %d single changes: p50 %d us, p99 %d us, max %d us%n",
                    samples, micros[samples / 2], micros[samples * 99 / 100], micros[samples - 1]);
        } finally {
            storeThread.shutdownNow();
            timer.stop();
        }
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}

package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The write-behind queue on a manual store thread and clock, with a store in memory. */
class DialogPersistenceTest {
    private static final long WALL_BASE = 1_700_000_000_000L;

    private final DialogHarness h = new DialogHarness();
    private final FakeDialogStore store = new FakeDialogStore();
    private final ManualStoreThread thread = new ManualStoreThread();

    private DialogPersistence persistence(PersistenceMode mode, int maxBacklog) {
        PersistenceSettings s = new PersistenceSettings(mode, "jdbc:sqlite:x.db", Duration.ofSeconds(10), false,
                maxBacklog);
        DialogPersistence p = new DialogPersistence(s, store, thread, () -> WALL_BASE + h.timer.now().toMillis(),
                () -> h.timer.now().toNanos(), h.registry);
        p.start();
        return p;
    }

    private DialogPersistence persistence(PersistenceMode mode) {
        return persistence(mode, 1000);
    }

    private Dialog answered(String callId) {
        Call c = h.call(callId);
        c.forward(UAS);
        c.respond(UAS, 200, "b-" + callId);
        c.ack("b-" + callId);
        return c.dialog();
    }

    private double counter(String name) {
        return h.counter(name);
    }

    @Test
    void realtimeCoalescesPerDialogAndWritesOneBatch() {
        DialogPersistence p = persistence(PersistenceMode.REALTIME);
        Dialog a = answered("rt-a");
        Dialog b = answered("rt-b");
        p.changed(a);
        a.setLifetime(Duration.ofMinutes(5));
        p.changed(a);
        p.changed(b);
        assertEquals(1, thread.queued(), "one drain for the burst");
        assertEquals(2, p.backlog());
        assertEquals(2.0, h.gauge("sipedge_dialog_persistence_backlog"));
        thread.runPending();
        assertEquals(List.of("s2"), store.batches);
        assertEquals(Duration.ofMinutes(5), store.rows.get(a.id()).lifetime(), "the latest snapshot wins");
        assertEquals(2.0, counter("sipedge_dialog_persistence_writes"));
        assertEquals(0, p.backlog());
        p.changed(a);
        assertEquals(1, thread.queued(), "a new drain once the last one finished");
    }

    @Test
    void anEndBeforeTheWriteLeavesOnlyTheDelete() {
        DialogPersistence p = persistence(PersistenceMode.REALTIME);
        Dialog a = answered("end-a");
        p.changed(a);
        p.ended(a);
        thread.runPending();
        assertEquals(List.of("d1"), store.batches);
        assertTrue(store.rows.isEmpty());
    }

    @Test
    void earlyDialogsAreNotStored() {
        DialogPersistence p = persistence(PersistenceMode.REALTIME);
        Call c = h.call("early");
        c.forward(UAS);
        c.respond(UAS, 180, "e1");
        p.changed(c.dialog());
        p.ended(c.dialog());
        assertEquals(0, p.backlog());
        assertEquals(0, thread.queued());
    }

    @Test
    void aFailingStoreIsRetriedWithBackoffAndANewerChangeWins() {
        DialogPersistence p = persistence(PersistenceMode.REALTIME);
        Dialog a = answered("fail-a");
        store.failing = true;
        p.changed(a);
        thread.runPending();
        assertEquals(1.0, counter("sipedge_dialog_persistence_errors"));
        assertEquals(1, p.backlog(), "the batch went back");
        a.setLifetime(Duration.ofMinutes(7));
        p.changed(a);
        assertEquals(0, thread.queued(), "no second drain while a retry is scheduled");
        thread.advance(Duration.ofMillis(99));
        assertEquals(1.0, counter("sipedge_dialog_persistence_errors"));
        thread.advance(Duration.ofMillis(1));
        assertEquals(2.0, counter("sipedge_dialog_persistence_errors"), "retried after 100 ms");
        thread.advance(Duration.ofMillis(199));
        assertEquals(2.0, counter("sipedge_dialog_persistence_errors"));
        thread.advance(Duration.ofMillis(1));
        assertEquals(3.0, counter("sipedge_dialog_persistence_errors"), "then after 200 ms");
        store.failing = false;
        thread.advance(Duration.ofMillis(400));
        assertEquals(Duration.ofMinutes(7), store.rows.get(a.id()).lifetime());
        assertEquals(1.0, counter("sipedge_dialog_persistence_writes"));
        assertEquals(0, p.backlog());
        assertEquals(0, thread.scheduled());
    }

    @Test
    void aFullBacklogDropsNewDialogsButKeepsChangesAndEnds() {
        DialogPersistence p = persistence(PersistenceMode.REALTIME, 2);
        store.failing = true;
        Dialog a = answered("full-a");
        Dialog b = answered("full-b");
        Dialog c = answered("full-c");
        p.changed(a);
        p.changed(b);
        thread.runPending();
        p.changed(c);
        assertEquals(1.0, counter("sipedge_dialog_persistence_dropped"));
        p.changed(a);
        assertEquals(1.0, counter("sipedge_dialog_persistence_dropped"), "a dialog already waiting coalesces");
        p.ended(b);
        p.ended(c);
        assertEquals(3, p.backlog(), "ends are always accepted");
        store.failing = false;
        thread.advance(Duration.ofSeconds(1));
        assertEquals(List.of(a.id()), List.copyOf(store.rows.keySet()));
    }

    @Test
    void delayedWritesOncePerPeriod() {
        DialogPersistence p = persistence(PersistenceMode.DELAYED);
        Dialog a = answered("dl-a");
        p.changed(a);
        p.changed(answered("dl-b"));
        assertEquals(0, thread.queued());
        thread.advance(Duration.ofSeconds(9));
        assertTrue(store.batches.isEmpty());
        thread.advance(Duration.ofSeconds(1));
        assertEquals(List.of("s2"), store.batches);
        p.ended(a);
        thread.advance(Duration.ofSeconds(10));
        assertEquals(List.of("s2", "d1"), store.batches);
        thread.advance(Duration.ofSeconds(30));
        assertEquals(2, store.batches.size(), "nothing to write, nothing written");
    }

    @Test
    void shutdownWritesOnlyAtTheFlush() {
        DialogPersistence p = persistence(PersistenceMode.SHUTDOWN);
        p.storedAtStart(List.of("restored-1"));
        Dialog a = answered("sd-a");
        Dialog b = answered("sd-b");
        p.changed(a);
        p.changed(b);
        p.ended(b);
        thread.advance(Duration.ofMinutes(10));
        assertTrue(store.batches.isEmpty());
        assertEquals(1, p.backlog(), "an end of a dialog never written leaves nothing");
        assertTrue(p.flush());
        assertEquals(List.of("s1"), store.batches);
        assertTrue(store.rows.containsKey(a.id()));
    }

    @Test
    void flushReportsAFailure() {
        DialogPersistence p = persistence(PersistenceMode.SHUTDOWN);
        p.changed(answered("ff-a"));
        store.failing = true;
        assertFalse(p.flush());
        assertEquals(1, p.backlog());
    }

    @Test
    void forgottenRecordsAreDeleted() {
        DialogPersistence p = persistence(PersistenceMode.SHUTDOWN);
        p.forget(List.of("old-node.1", "old-node.2"));
        thread.advance(Duration.ofMinutes(1));
        assertTrue(store.batches.isEmpty(), "shutdown mode: at the stop");
        assertTrue(p.flush());
        assertEquals(List.of("d2"), store.batches);
    }

    @Test
    void noneKeepsNothing() {
        DialogPersistence p = persistence(PersistenceMode.NONE);
        Dialog a = answered("none-a");
        p.changed(a);
        p.ended(a);
        assertEquals(0, p.backlog());
        assertTrue(p.flush());
        assertTrue(store.batches.isEmpty());
    }

    @Test
    void theExpiryIsTheDeadlineOnTheWallClockAndStaysInThePast() {
        Dialog a = answered("exp-a");
        a.setLifetime(Duration.ofSeconds(30));
        h.advance(Duration.ofSeconds(10));
        long nowMillis = WALL_BASE + h.timer.now().toMillis();
        DialogRecord r = DialogRecords.of(a, nowMillis, h.timer.now().toNanos()).orElseThrow();
        assertEquals(Instant.ofEpochMilli(nowMillis + 20_000), r.expiresAt());
        // The deadline passed (the timer has not fired yet): written in the past, never the future.
        long later = h.timer.now().toNanos() + Duration.ofSeconds(25).toNanos();
        DialogRecord late = DialogRecords.of(a, nowMillis + 25_000, later).orElseThrow();
        assertTrue(late.expiresAt().isBefore(Instant.ofEpochMilli(nowMillis + 25_000)), late.expiresAt().toString());
    }
}

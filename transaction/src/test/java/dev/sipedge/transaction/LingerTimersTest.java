package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lingering timers (here Timer J of non-INVITE server transactions over UDP) are queued per
 * timer with one timeout for the queue's head. Each ends its transaction at its own deadline, or,
 * when it falls due within the batch window after an expiry, with the next batch: never before
 * the deadline and never later than the window past it.
 */
class LingerTimersTest {
    private static final Duration TIMER_J = Harness.SETTINGS.sixtyFourT1();
    private static final Duration ONE_MS = Duration.ofMillis(1);
    private static final Duration LATER = Duration.ofSeconds(10);

    private final Harness h = new Harness(TransportKind.UDP);

    private static SIPRequest bye(String branch) {
        return Sip.request("BYE").branch(branch).build();
    }

    /** A BYE server transaction answered 200: Completed, waiting for Timer J. */
    private ServerTransaction completed(String branch) {
        SIPRequest bye = bye(branch);
        ServerTransaction tx = h.receiveNew(bye);
        tx.respond(Sip.response(bye, 200, "t"));
        return tx;
    }

    private List<ServerTransaction> completed(String prefix, int count) {
        List<ServerTransaction> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            txs.add(completed("z9hG4bK-" + prefix + i));
        }
        return txs;
    }

    private static long terminated(List<ServerTransaction> txs) {
        return txs.stream().filter(Transaction::isTerminated).count();
    }

    @Test
    void manyLingeringTransactionsShareOneTimeoutAndEachEndsAtItsOwnDeadline() {
        List<ServerTransaction> first = completed("a", 100);
        h.advance(LATER);
        List<ServerTransaction> second = completed("b", 100);
        assertEquals(1, h.timer.pendingCount(), "one timeout for the head of the queue, not one each");

        h.advance(TIMER_J.minus(LATER).minus(ONE_MS));
        assertEquals(0, terminated(first) + terminated(second), "none before its deadline");
        h.advance(ONE_MS);
        assertEquals(100, terminated(first), "the first hundred at 64*T1 after their start");
        assertEquals(0, terminated(second));
        assertEquals(1, h.timer.pendingCount(), "the timeout moved to the next deadline");

        h.advance(LATER.minus(ONE_MS));
        assertEquals(0, terminated(second));
        h.advance(ONE_MS);
        assertEquals(100, terminated(second));
        assertEquals(0, h.timer.pendingCount());
        assertEquals(0, h.layer.activeTransactions());
        assertTrue(h.ended.stream().allMatch(e -> e.reason() == EndReason.COMPLETED));
    }

    @Test
    void deadlinesCloseAfterAnExpiryEndTogetherOneWindowLater() {
        Duration window = LingerTimers.BATCH_WINDOW;
        List<ServerTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 250; i++) { // a deadline every millisecond, as under load
            txs.add(completed("z9hG4bK-ms" + i));
            h.advance(ONE_MS);
        }
        h.advance(TIMER_J.minus(Duration.ofMillis(250))); // the first start's deadline
        assertEquals(1, terminated(txs), "the head ends at its deadline");
        assertEquals(1, h.timer.pendingCount());

        h.advance(window.minus(ONE_MS));
        assertEquals(1, terminated(txs), "the next 99 are due, but wait for the window");
        h.advance(ONE_MS);
        assertEquals(1 + window.toMillis(), terminated(txs), "one batch: every entry due by the window's end");
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(i <= window.toMillis(), txs.get(i).isTerminated(), "entry " + i + ": none before its deadline");
        }

        h.advance(window);
        assertEquals(1 + 2 * window.toMillis(), terminated(txs));
        h.advance(window);
        assertEquals(250, terminated(txs), "the last ones, within a window of their deadlines");
        assertEquals(0, h.timer.pendingCount());
        assertEquals(0, h.layer.activeTransactions());
    }

    @Test
    void anEntryThatLeftEarlyIsSkippedAndTheOthersStillEnd() {
        ServerTransaction failing = completed("z9hG4bK-fail");
        ServerTransaction staying = completed("z9hG4bK-stay");
        h.transport.failSends(true);
        h.layer.receive(bye("z9hG4bK-fail"), h.flow); // the 200 resent fails: Terminated at once
        h.transport.failSends(false);
        assertTrue(failing.isTerminated());
        assertFalse(staying.isTerminated());

        assertEquals(1, h.layer.lingerHeld(SipTimer.J), "the early one's entry no longer holds it");

        h.advance(TIMER_J);
        assertTrue(staying.isTerminated());
        assertEquals(List.of(EndReason.TRANSPORT_ERROR, EndReason.COMPLETED),
                h.ended.stream().map(Harness.Ended::reason).toList(), "each ended once, the early one by its error");
        assertEquals(0, h.timer.pendingCount());
    }

    @Test
    void aQueueWhoseEntriesAllLeftEarlyDropsItsTimeout() {
        completed("z9hG4bK-1");
        completed("z9hG4bK-2");
        h.transport.failSends(true);
        h.layer.receive(bye("z9hG4bK-1"), h.flow);
        h.layer.receive(bye("z9hG4bK-2"), h.flow);
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.timer.pendingCount(), "no timeout left for entries nobody waits on");
    }

    @Test
    void theHeadsTimeoutOnlyHandsTheExpiryToTheShard() {
        List<Runnable> shardQueue = new ArrayList<>();
        ManualTimer timer = new ManualTimer();
        RecordingUser user = new RecordingUser();
        TransactionLayer layer = new TransactionLayer(Harness.SETTINGS, timer, timer::nanoTime, shardQueue::add,
                new RecordingTransport(), user);
        layer.receive(bye("z9hG4bK-q"), h.flow);
        ServerTransaction tx = user.requests.get(0).tx();
        tx.respond(Sip.response(tx.request(), 200, "t"));

        timer.advance(TIMER_J);
        assertFalse(tx.isTerminated(), "nothing happens until the shard runs the expiry");
        assertEquals(1, shardQueue.size());
        shardQueue.remove(0).run();
        assertTrue(tx.isTerminated());
        assertEquals(0, layer.activeTransactions());
    }
}

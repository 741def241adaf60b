package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.ONE_MS;
import static dev.sipedge.transaction.Harness.T1;
import static dev.sipedge.transaction.Harness.T2;
import static dev.sipedge.transaction.Harness.T4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §17.1.2 non-INVITE client transaction, over UDP and TCP. */
class NonInviteClientTransactionTest {

    private Harness h;
    private RecordingClientListener listener;
    private SIPRequest bye;
    private ClientTransaction tx;

    private void start(TransportKind kind) {
        h = new Harness(kind);
        listener = new RecordingClientListener();
        bye = Sip.request("BYE").transport(kind).toTag("b1").build();
        tx = h.layer.sendRequest(bye, h.flow, listener);
    }

    private NonInviteClientTransaction.State state() {
        return ((NonInviteClientTransaction) tx).state();
    }

    private void respond(int status) {
        h.layer.receive(Sip.response(bye, status, null), h.flow);
    }

    private void assertEndedOnce(EndReason reason) {
        assertTrue(tx.isTerminated());
        assertEquals(List.of(reason), listener.terminations);
        assertEquals(List.of(reason), h.ended.stream().map(Harness.Ended::reason).toList());
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.timer.pendingCount());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void tryingRetransmitsWithTimerEBackoffAndTimerFEndsIt(TransportKind kind) {
        start(kind);
        assertEquals(NonInviteClientTransaction.State.TRYING, state());
        assertFalse(tx.isInvite());
        // E fires at T1, 3*T1, 7*T1, 15*T1 (interval capped at T2 = 8*T1), then every T2: 23, 31 ... 63*T1.
        long[] fireAtT1 = {1, 3, 7, 15, 23, 31, 39, 47, 55, 63};
        long elapsed = 0;
        int expectedSends = 1;
        for (long at : fireAtT1) {
            h.advance(T1.multipliedBy(at - elapsed).minus(ONE_MS));
            assertEquals(expectedSends, h.transport.count("BYE"), "before " + at + "*T1");
            h.advance(ONE_MS);
            if (!kind.reliable()) {
                expectedSends++;
            }
            assertEquals(expectedSends, h.transport.count("BYE"), "at " + at + "*T1");
            elapsed = at;
        }
        assertFalse(tx.isTerminated());
        h.advance(T1.multipliedBy(64 - elapsed));
        assertEndedOnce(EndReason.TIMEOUT);
        assertEquals(kind.reliable() ? 0 : fireAtT1.length, h.layer.retransmissions());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void proceedingRetransmitsEveryT2AndKeepsTimerF(TransportKind kind) {
        start(kind);
        respond(100);
        assertEquals(NonInviteClientTransaction.State.PROCEEDING, state());
        assertEquals(List.of(100), listener.statuses());
        h.advance(T1); // the E started in Trying fires, then E = T2
        h.advance(T2);
        assertEquals(kind.reliable() ? 1 : 3, h.transport.count("BYE"));
        h.advance(T1.multipliedBy(64).minus(T1).minus(T2).minus(ONE_MS));
        assertFalse(tx.isTerminated());
        h.advance(ONE_MS);
        assertEndedOnce(EndReason.TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void finalGoesToCompletedAbsorbsRetransmissionsAndTimerKEndsIt(TransportKind kind) {
        start(kind);
        respond(180);
        respond(200);
        assertTrue(tx.finalReceived());
        assertEquals(List.of(180, 200), listener.statuses());
        if (kind.reliable()) {
            assertEndedOnce(EndReason.COMPLETED); // Timer K = 0
            return;
        }
        // UDP: the layer keeps the key for Timer K, so the machine and its listener end at once.
        assertEquals(NonInviteClientTransaction.State.TERMINATED, state());
        assertEquals(List.of(EndReason.COMPLETED), listener.terminations);
        assertEquals(1, h.layer.activeTransactions(), "counted until Timer K");
        respond(200);
        assertEquals(List.of(180, 200), listener.statuses(), "retransmitted final absorbed");
        assertTrue(h.user.strayResponses.isEmpty(), "absorbed, not relayed as a stray");
        h.advance(T1.multipliedBy(64));
        assertEquals(1, h.transport.count("BYE"), "no retransmission in Completed");
        assertEndedOnce(EndReason.COMPLETED); // K = T4 < 64*T1
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void timerKIsT4OnUnreliable(TransportKind kind) {
        start(kind);
        respond(404);
        if (!kind.reliable()) {
            h.advance(T4.minus(ONE_MS));
            respond(404);
            assertTrue(h.user.strayResponses.isEmpty(), "absorbed until Timer K");
            assertEquals(1, h.layer.activeTransactions());
            h.advance(ONE_MS);
            respond(404);
            assertEquals(1, h.user.strayResponses.size(), "after Timer K the final matches nothing");
        }
        assertEndedOnce(EndReason.COMPLETED);
    }

    /** A key beyond Latin-1 cannot be kept by the layer: the transaction stays in Completed itself. */
    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = "UDP")
    void aKeyTheLayerCannotKeepLingersInCompleted(TransportKind kind) {
        h = new Harness(kind);
        listener = new RecordingClientListener();
        bye = Sip.request("BYE").transport(kind).toTag("b1").branch("z9hG4bK\u0101").build();
        tx = h.layer.sendRequest(bye, h.flow, listener);
        respond(200);

        assertEquals(NonInviteClientTransaction.State.COMPLETED, state());
        respond(200);
        assertEquals(List.of(200), listener.statuses(), "retransmitted final absorbed by the machine");
        assertTrue(h.user.strayResponses.isEmpty());
        h.advance(T4.minus(ONE_MS));
        assertFalse(tx.isTerminated());
        h.advance(ONE_MS);
        assertEndedOnce(EndReason.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void transportErrorAndAbandon(TransportKind kind) {
        start(kind);
        h.transport.failLast();
        assertEndedOnce(EndReason.TRANSPORT_ERROR);
        tx.abandon();
        assertEquals(1, listener.terminations.size());

        start(kind);
        tx.abandon();
        assertEndedOnce(EndReason.TIMEOUT);
    }
}

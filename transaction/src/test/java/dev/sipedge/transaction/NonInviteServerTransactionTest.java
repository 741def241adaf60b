package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.ONE_MS;
import static dev.sipedge.transaction.Harness.T1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §17.2.2 non-INVITE server transaction, over UDP and TCP. */
class NonInviteServerTransactionTest {

    private Harness h;
    private SIPRequest options;
    private ServerTransaction tx;

    private void start(TransportKind kind) {
        h = new Harness(kind);
        options = Sip.request("OPTIONS").transport(kind).build();
        tx = h.receiveNew(options);
    }

    private NonInviteServerTransaction.State state() {
        return ((NonInviteServerTransaction) tx).state();
    }

    private void retransmit() {
        h.layer.receive(Sip.request("OPTIONS").transport(h.kind).build(), h.flow);
    }

    private void assertEnded(EndReason reason) {
        assertTrue(tx.isTerminated());
        assertEquals(List.of(reason), h.ended.stream().map(Harness.Ended::reason).toList());
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.timer.pendingCount());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void tryingDiscardsRetransmissions(TransportKind kind) {
        start(kind);
        assertFalse(tx.isInvite());
        retransmit();
        assertEquals(NonInviteServerTransaction.State.TRYING, state());
        assertEquals(0, h.transport.sent().size());
        assertEquals(1, h.user.requests.size());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void proceedingResendsTheProvisional(TransportKind kind) {
        start(kind);
        tx.respond(Sip.response(options, 100, null));
        assertEquals(NonInviteServerTransaction.State.PROCEEDING, state());
        retransmit();
        assertEquals(2, h.transport.countStatus(100));
        assertEquals(1, h.layer.retransmissions());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void completedResendsTheFinalUntilTimerJ(TransportKind kind) {
        start(kind);
        tx.respond(Sip.response(options, 200, "b1"));
        if (kind.reliable()) {
            assertEnded(EndReason.COMPLETED); // Timer J = 0
            return;
        }
        assertEquals(NonInviteServerTransaction.State.COMPLETED, state());
        retransmit();
        assertEquals(2, h.transport.countStatus(200));
        tx.respond(Sip.response(options, 500, "b1"));
        assertEquals(0, h.transport.countStatus(500), "one final response only");
        h.advance(T1.multipliedBy(64).minus(ONE_MS));
        assertFalse(tx.isTerminated());
        assertEquals(2, h.transport.countStatus(200), "no timer-driven retransmission of responses");
        h.advance(ONE_MS);
        assertEnded(EndReason.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void transportErrorEndsTheTransaction(TransportKind kind) {
        start(kind);
        tx.respond(Sip.response(options, 100, null));
        h.transport.failLast();
        assertEnded(EndReason.TRANSPORT_ERROR);
    }
}

package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.ONE_MS;
import static dev.sipedge.transaction.Harness.T1;
import static dev.sipedge.transaction.Harness.T2;
import static dev.sipedge.transaction.Harness.T4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §17.2.1 + RFC 6026 §7.1 INVITE server transaction, over UDP and TCP. */
class InviteServerTransactionTest {

    private Harness h;
    private SIPRequest invite;
    private ServerTransaction tx;

    private void start(TransportKind kind) {
        h = new Harness(kind);
        invite = h.invite();
        tx = h.receiveNew(invite);
    }

    private InviteServerTransaction.State state() {
        return ((InviteServerTransaction) tx).state();
    }

    private SIPResponse respond(int status) {
        SIPResponse r = Sip.response(invite, status, "b1");
        tx.respond(r);
        return r;
    }

    private SIPRequest ackForNon2xx() {
        return Sip.request("ACK").transport(h.kind).toTag("b1").build(); // same branch as the INVITE
    }

    private void assertEnded(EndReason reason) {
        assertEnded(reason, 0);
    }

    /** Ended, with {@code kept} keys still held by the layer (each with its store's one timeout). */
    private void assertEnded(EndReason reason, int kept) {
        assertTrue(tx.isTerminated());
        assertEquals(List.of(reason), h.ended.stream().map(Harness.Ended::reason).toList());
        assertEquals(kept, h.layer.activeTransactions());
        assertEquals(kept, h.timer.pendingCount());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void proceedingResendsLastProvisionalOnRetransmittedInvite(TransportKind kind) {
        start(kind);
        assertSame(tx, h.created.get(0));
        assertTrue(tx.isInvite());
        assertEquals(InviteServerTransaction.State.PROCEEDING, state());
        h.layer.receive(h.invite(), h.flow); // before any response: absorbed
        assertEquals(0, h.transport.sent().size());
        assertEquals(1, h.user.requests.size(), "retransmission not passed up");
        SIPResponse ringing = respond(180);
        h.layer.receive(h.invite(), h.flow);
        assertEquals(2, h.transport.countStatus(180));
        assertSame(ringing, tx.lastResponse());
        assertSame(h.flow, h.transport.last().flow());
        assertEquals(1, h.layer.retransmissions());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void completedRetransmitsWithTimerGAndTimerHTimesOut(TransportKind kind) {
        start(kind);
        respond(486);
        assertEquals(InviteServerTransaction.State.COMPLETED, state());
        // G at T1, 3*T1, 7*T1, 15*T1, then every T2 (8*T1): 23, 31, ..., 63*T1; H at 64*T1.
        h.advance(T1);
        assertEquals(kind.reliable() ? 1 : 2, h.transport.countStatus(486));
        h.advance(T1.multipliedBy(2));
        assertEquals(kind.reliable() ? 1 : 3, h.transport.countStatus(486));
        h.advance(T1.multipliedBy(4));
        h.advance(T1.multipliedBy(8));
        h.advance(T2);
        assertEquals(kind.reliable() ? 1 : 6, h.transport.countStatus(486));
        h.layer.receive(h.invite(), h.flow); // retransmitted INVITE: resend the final
        assertEquals(kind.reliable() ? 2 : 7, h.transport.countStatus(486));
        h.advance(T1.multipliedBy(64 - 23).minus(ONE_MS));
        assertFalse(tx.isTerminated());
        h.advance(ONE_MS);
        assertEnded(EndReason.TIMEOUT);
        assertEquals(kind.reliable() ? 1 : 10 + 1, h.layer.retransmissions(), "10 Timer G firings + 1 INVITE answered");
    }

    /**
     * The ACK of a failure confirms the transaction; on UDP it hands its key to the layer and ends
     * at once (Timer I = 0 for the object, as on TCP), and the layer absorbs what Confirmed would.
     */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void ackConfirmsAndIsAbsorbedThenTimerIEndsIt(TransportKind kind) {
        start(kind);
        respond(486);
        h.layer.receive(ackForNon2xx(), h.flow);
        assertTrue(h.user.acksWithoutTransaction.isEmpty(), "ACK for a non-2xx is absorbed");
        assertEnded(EndReason.COMPLETED, kind.reliable() ? 0 : 1);
        if (kind.reliable()) {
            return;
        }
        assertEquals(0, h.layer.lingerHeld(SipTimer.I), "no Timer I entry holds the object");
        h.layer.receive(ackForNon2xx(), h.flow);
        h.layer.receive(h.invite(), h.flow);
        assertTrue(h.user.acksWithoutTransaction.isEmpty(), "retransmitted ACK absorbed by the key");
        assertEquals(1, h.user.requests.size(), "retransmitted INVITE absorbed, no new transaction");
        h.advance(T1.multipliedBy(64));
        assertEquals(1, h.transport.countStatus(486), "G stopped on ACK, nothing resent for the key");
        assertEquals(0, h.layer.activeTransactions());
    }

    /** The key absorbs ACKs until Timer I (T4 on UDP); after it an ACK is one without transaction. */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void timerIIsT4OnUnreliable(TransportKind kind) {
        start(kind);
        respond(500);
        h.layer.receive(ackForNon2xx(), h.flow);
        if (!kind.reliable()) {
            h.advance(T4.minus(ONE_MS));
            h.layer.receive(ackForNon2xx(), h.flow);
            assertTrue(h.user.acksWithoutTransaction.isEmpty(), "absorbed until Timer I");
            h.advance(ONE_MS);
        }
        assertEnded(EndReason.COMPLETED);
        SIPRequest late = ackForNon2xx();
        h.layer.receive(late, h.flow);
        assertEquals(List.of(late), h.user.acksWithoutTransaction, "after Timer I the ACK matches nothing");
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void acceptedAbsorbsInvitesPassesAcksAndSends2xxUntilTimerL(TransportKind kind) {
        start(kind);
        respond(180);
        respond(200);
        assertEquals(InviteServerTransaction.State.ACCEPTED, state());
        h.layer.receive(h.invite(), h.flow);
        assertEquals(1, h.transport.countStatus(200), "INVITE absorbed, 2xx not resent by the transaction");
        respond(200); // the TU's retransmission passes through
        assertEquals(2, h.transport.countStatus(200));
        respond(486); // no failure after a 2xx
        assertEquals(0, h.transport.countStatus(486));
        SIPRequest ack = Sip.request("ACK").transport(kind).toTag("b1").build();
        h.layer.receive(ack, h.flow);
        assertEquals(List.of(ack), h.user.acksWithoutTransaction);
        h.advance(T1.multipliedBy(64).minus(ONE_MS));
        assertFalse(tx.isTerminated());
        h.advance(ONE_MS);
        assertEnded(EndReason.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void transportErrorEndsTheTransaction(TransportKind kind) {
        start(kind);
        respond(180);
        h.transport.failLast();
        assertEnded(EndReason.TRANSPORT_ERROR);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void tuRespondingSynchronouslyInOnRequestWorks(TransportKind kind) {
        h = new Harness(kind);
        h.user.reactWith((t, r) -> t.respond(Sip.response(r, 603, "x")));
        h.layer.receive(h.invite(), h.flow);
        assertEquals(1, h.transport.countStatus(603));
        tx = h.user.requests.get(0).tx();
        assertEquals(InviteServerTransaction.State.COMPLETED, state());
        assertEquals(1, h.layer.activeTransactions(), "waits for the ACK (Timer H) on any transport");
        h.layer.receive(ackForNon2xx(), h.flow);
        assertEquals(kind.reliable() ? 0 : 1, h.layer.activeTransactions());
    }
}

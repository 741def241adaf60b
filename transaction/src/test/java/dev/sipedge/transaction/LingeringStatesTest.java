package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.T1;
import static dev.sipedge.transaction.Harness.T4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The states that only linger (Timers D, H, I, J, K, L, M) hold no message they will not send or
 * match with again, and behave as before without them. Long-lived linger states exist only on
 * unreliable transports for D, I, J and K (zero on reliable ones), so those cases run over UDP.
 * Here the server transactions; the client ones are in {@link LingeringClientStatesTest}.
 */
class LingeringStatesTest {

    private Harness h;

    // --- INVITE server ---

    private ServerTransaction inviteServer(TransportKind kind, SIPRequest invite) {
        h = new Harness(kind);
        return h.receiveNew(invite);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void inviteServerCompletedKeepsOnlyTheFinalResponseAndStillResendsIt(TransportKind kind) {
        SIPRequest invite = Sip.invite(kind);
        ServerTransaction tx = inviteServer(kind, invite);
        SIPResponse ringing = Sip.response(invite, 180, "b1");
        tx.respond(ringing);
        assertSame(invite, tx.request(), "Proceeding keeps the INVITE for the TU");
        assertSame(ringing, tx.lastResponse(), "Proceeding keeps the 1xx it resends");
        SIPResponse busy = Sip.response(invite, 486, "b1");
        tx.respond(busy);

        assertEquals(InviteServerTransaction.State.COMPLETED, ((InviteServerTransaction) tx).state());
        assertNull(tx.request());
        assertSame(busy, tx.lastResponse());
        h.layer.receive(h.invite(), h.flow);
        assertEquals(2, h.transport.countStatus(486), "retransmitted INVITE answered with the final");
        h.advance(T1);
        assertEquals(kind.reliable() ? 2 : 3, h.transport.countStatus(486), "Timer G resends on UDP");
        assertSame(busy, h.transport.last().message());

        h.layer.receive(Sip.request("ACK").transport(kind).toTag("b1").build(), h.flow);
        assertTrue(tx.isTerminated(), "confirmed, it ends: on UDP its key is kept until Timer I");
        assertNull(tx.lastResponse());
        if (!kind.reliable()) {
            int sent = h.transport.sent().size();
            h.layer.receive(h.invite(), h.flow);
            h.layer.receive(Sip.request("ACK").transport(kind).toTag("b1").build(), h.flow);
            assertEquals(sent, h.transport.sent().size(), "INVITE and ACK absorbed until Timer I");
            assertTrue(h.user.acksWithoutTransaction.isEmpty());
            assertEquals(1, h.user.requests.size());
            assertEquals(1, h.layer.activeTransactions(), "active until Timer I, as its key");
            h.advance(T4);
        }
        h.assertGone(tx);
    }

    /**
     * A CANCEL for an INVITE whose failure was acknowledged finds no transaction but an answered
     * INVITE until Timer I (the proxy answers it 200, as it did for the transaction in Confirmed);
     * after Timer I the same INVITE is a new transaction.
     */
    @Test
    void aConfirmedInviteOnUdpIsAnsweredForCancelsUntilTimerI() {
        SIPRequest invite = Sip.invite(TransportKind.UDP);
        ServerTransaction tx = inviteServer(TransportKind.UDP, invite);
        tx.respond(Sip.response(invite, 487, "b1"));
        assertNotNull(h.layer.findInviteForCancel(Sip.request("CANCEL").build()), "in Completed the transaction is found");
        assertFalse(h.layer.confirmedInvite(Sip.request("CANCEL").build()));
        h.layer.receive(Sip.request("ACK").toTag("b1").build(), h.flow);

        assertEquals(List.of(new Harness.Ended(tx, EndReason.COMPLETED)), h.ended);
        assertEquals(0, h.layer.lingerHeld(SipTimer.I), "no Timer I entry holds the object");
        assertNull(h.layer.findInviteForCancel(Sip.request("CANCEL").build()));
        assertTrue(h.layer.confirmedInvite(Sip.request("CANCEL").build()));
        assertFalse(h.layer.settledInvite(Sip.request("CANCEL").build()), "failed, not settled");
        assertFalse(h.layer.confirmedInvite(Sip.request("CANCEL").branch("z9hG4bK-9").build()));
        assertEquals(0, h.layer.transactionsInProgress());

        h.advance(T4);
        assertFalse(h.layer.confirmedInvite(Sip.request("CANCEL").build()));
        assertEquals(0, h.layer.activeTransactions());
        h.layer.receive(h.invite(), h.flow);
        assertEquals(2, h.user.requests.size(), "after Timer I the same INVITE is a new transaction");
    }

    /** A key the layer cannot keep (beyond Latin-1) lingers in Confirmed as before. */
    @Test
    void aConfirmedInviteWhoseKeyCannotBeKeptLingersInConfirmed() {
        h = new Harness(TransportKind.UDP);
        SIPRequest invite = Sip.request("INVITE").branch("z9hG4bK\u0101").build();
        InviteServerTransaction tx = (InviteServerTransaction) h.receiveNew(invite);
        tx.respond(Sip.response(invite, 486, "b1"));
        h.layer.receive(Sip.request("ACK").branch("z9hG4bK\u0101").toTag("b1").build(), h.flow);

        assertEquals(InviteServerTransaction.State.CONFIRMED, tx.state());
        assertEquals(1, h.layer.lingerHeld(SipTimer.I));
        h.layer.receive(Sip.request("ACK").branch("z9hG4bK\u0101").toTag("b1").build(), h.flow);
        assertTrue(h.user.acksWithoutTransaction.isEmpty(), "absorbed by the transaction itself");
        h.advance(T4);
        h.assertGone(tx);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void inviteServerAcceptedKeepsNothingAndStillAbsorbsAndPassesOn(TransportKind kind) {
        SIPRequest invite = Sip.invite(kind);
        ServerTransaction tx = inviteServer(kind, invite);
        tx.respond(Sip.response(invite, 180, "b1"));
        SIPResponse ok = Sip.response(invite, 200, "b1");
        tx.respond(ok);

        assertEquals(InviteServerTransaction.State.ACCEPTED, ((InviteServerTransaction) tx).state());
        assertNull(tx.request());
        assertNull(tx.lastResponse(), "neither the 180 nor the 200 is kept");
        h.layer.receive(h.invite(), h.flow);
        assertEquals(1, h.transport.countStatus(200), "retransmitted INVITE absorbed");
        assertEquals(1, h.transport.countStatus(180));
        SIPResponse again = Sip.response(invite, 200, "b1");
        tx.respond(again);
        assertSame(again, h.transport.last().message(), "the TU's 2xx is sent as given");
        assertNull(tx.lastResponse(), "and not kept either");
        SIPRequest ack = Sip.request("ACK").transport(kind).toTag("b1").build();
        h.layer.receive(ack, h.flow);
        assertEquals(List.of(ack), h.user.acksWithoutTransaction, "ACK for the 2xx goes to the TU");

        h.advance(T1.multipliedBy(64));
        h.assertGone(tx);
    }

    /**
     * Settled by the TU in Accepted, the INVITE server transaction ends at once; the layer keeps its
     * key until Timer L would have fired: retransmitted INVITEs are absorbed, a CANCEL finds it
     * settled, and the key counts as active until then; after it the INVITE is new again.
     */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aSettledInviteServerEndsAndTheLayerAbsorbsItsInvitesUntilTimerL(TransportKind kind) {
        SIPRequest invite = Sip.invite(kind);
        ServerTransaction tx = inviteServer(kind, invite);
        tx.respond(Sip.response(invite, 200, "b1"));
        SIPRequest other = Sip.request("INVITE").transport(kind).branch("z9hG4bK-2").build();
        h.receiveNew(other).respond(Sip.response(other, 200, "b2")); // stays in Accepted
        h.advance(T1.multipliedBy(10));
        assertTrue(tx.settle());

        assertTrue(tx.isTerminated(), "the object ends as it settles");
        assertEquals(1, h.layer.lingerHeld(SipTimer.L), "its Timer L entry no longer holds it");
        assertEquals(List.of(new Harness.Ended(tx, EndReason.COMPLETED)), h.ended);
        assertEquals(2, h.layer.activeTransactions(), "active until Timer L, as its key, beside the other");
        assertEquals(0, h.layer.transactionsInProgress());
        assertNull(h.layer.findInviteForCancel(Sip.request("CANCEL").transport(kind).build()), "no transaction...");
        assertTrue(h.layer.settledInvite(Sip.request("CANCEL").transport(kind).build()), "...but settled");
        assertFalse(h.layer.confirmedInvite(Sip.request("CANCEL").transport(kind).build()), "not failed");
        assertFalse(h.layer.settledInvite(Sip.request("CANCEL").transport(kind).branch("z9hG4bK-9").build()));
        int sent = h.transport.sent().size();
        h.layer.receive(h.invite(), h.flow);
        assertEquals(2, h.user.requests.size(), "retransmitted INVITE absorbed, not given to the TU");
        assertEquals(sent, h.transport.sent().size(), "and nothing sent for it");
        assertEquals(0, h.transport.datagrams().size());
        assertEquals(0, h.layer.retransmissions());
        SIPRequest ack = Sip.request("ACK").transport(kind).toTag("b1").build();
        h.layer.receive(ack, h.flow);
        assertEquals(List.of(ack), h.user.acksWithoutTransaction, "the 2xx's ACK goes to the TU, as in Accepted");

        h.advance(T1.multipliedBy(64)); // Timer L, counted from the settling
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.timer.pendingCount());
        assertFalse(h.layer.settledInvite(Sip.request("CANCEL").transport(kind).build()));
        h.layer.receive(h.invite(), h.flow);
        assertEquals(3, h.user.requests.size(), "after Timer L the same INVITE is a new transaction");
    }

    @Test
    void settleIsIgnoredOutsideAccepted() {
        SIPRequest invite = Sip.invite(TransportKind.UDP);
        ServerTransaction proceeding = inviteServer(TransportKind.UDP, invite);
        assertFalse(proceeding.settle());
        assertEquals(InviteServerTransaction.State.PROCEEDING, ((InviteServerTransaction) proceeding).state());
        proceeding.respond(Sip.response(invite, 486, "b1"));
        assertFalse(proceeding.settle());
        assertEquals(InviteServerTransaction.State.COMPLETED, ((InviteServerTransaction) proceeding).state());
        assertFalse(h.layer.settledInvite(Sip.request("CANCEL").build()));
        assertEquals(List.of(), h.ended);
    }

    /** A key beyond Latin-1 (only an RFC 2543 key can have one) cannot be kept: the transaction lingers as before. */
    @Test
    void aSettledInviteWhoseKeyCannotBeKeptLingersInAccepted() {
        h = new Harness(TransportKind.UDP);
        SIPRequest invite = Sip.request("INVITE").branch("1").requestUri("sip:b\u0101b@example.com").build();
        ServerTransaction tx = h.receiveNew(invite);
        tx.respond(Sip.response(invite, 200, "b1"));
        assertFalse(tx.settle());

        assertEquals(InviteServerTransaction.State.ACCEPTED, ((InviteServerTransaction) tx).state());
        h.layer.receive(Sip.request("INVITE").branch("1").requestUri("sip:b\u0101b@example.com").build(), h.flow);
        assertEquals(1, h.user.requests.size(), "absorbed by the transaction itself");
        h.advance(T1.multipliedBy(64));
        h.assertGone(tx);
    }

    @Test
    void rfc2543AckStillMatchesInCompletedConfirmedAndAcceptedByTheKeptToTag() {
        SIPRequest invite = Sip.request("INVITE").branch(null).build();
        InviteServerTransaction failed = (InviteServerTransaction) inviteServer(TransportKind.UDP, invite);
        failed.respond(Sip.response(invite, 486, "t1"));
        assertNull(failed.request());
        h.layer.receive(Sip.request("ACK").branch(null).toTag("wrong").build(), h.flow);
        assertEquals(1, h.user.acksWithoutTransaction.size(), "a different To tag does not match");
        h.layer.receive(Sip.request("ACK").branch(null).toTag("t1").build(), h.flow);
        assertEquals(InviteServerTransaction.State.CONFIRMED, failed.state(), "matched in Completed");
        assertNull(failed.lastResponse());
        assertEquals("t1", failed.responseToTag());
        h.layer.receive(Sip.request("ACK").branch(null).toTag("t1").build(), h.flow);
        assertEquals(1, h.user.acksWithoutTransaction.size(), "retransmitted ACK matched and absorbed in Confirmed");

        SIPRequest second = Sip.request("INVITE").branch(null).cseq(2).build();
        InviteServerTransaction accepted = (InviteServerTransaction) h.receiveNew(second);
        accepted.respond(Sip.response(second, 200, "t2"));
        assertEquals(InviteServerTransaction.State.ACCEPTED, accepted.state());
        assertNull(accepted.lastResponse());
        assertEquals("t2", accepted.responseToTag(), "only the tag is kept for §17.2.3 matching");
        SIPRequest ack = Sip.request("ACK").branch(null).cseq(2).toTag("t2").build();
        h.layer.receive(ack, h.flow);
        assertSame(ack, h.user.acksWithoutTransaction.get(1), "passed on to the TU once");
        assertEquals(2, h.user.acksWithoutTransaction.size());

        h.advance(T1.multipliedBy(64));
        assertNull(failed.responseToTag());
        assertNull(accepted.responseToTag());
        assertEquals(0, h.layer.activeTransactions());
    }

    @Test
    void magicCookieInviteKeepsNoToTag() {
        SIPRequest invite = Sip.invite(TransportKind.UDP);
        InviteServerTransaction tx = (InviteServerTransaction) inviteServer(TransportKind.UDP, invite);
        tx.respond(Sip.response(invite, 200, "b1"));
        assertNull(tx.responseToTag(), "branch matching needs no tag");
    }

    // --- non-INVITE server ---

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void nonInviteServerCompletedKeepsOnlyTheFinalResponseAndStillResendsIt(TransportKind kind) {
        h = new Harness(kind);
        SIPRequest bye = Sip.request("BYE").transport(kind).build();
        ServerTransaction tx = h.receiveNew(bye);
        SIPResponse ok = Sip.response(bye, 200, "b1");
        tx.respond(ok);

        if (kind.reliable()) {
            assertNull(tx.lastResponse());
            h.assertGone(tx); // Timer J = 0
            return;
        }
        assertEquals(NonInviteServerTransaction.State.COMPLETED, ((NonInviteServerTransaction) tx).state());
        assertNull(tx.request());
        assertNull(tx.lastResponse(), "the parsed response is not kept...");
        assertEquals(List.of(ok), h.transport.kept(), "...only what the transport keeps of it");
        h.layer.receive(Sip.request("BYE").transport(kind).build(), h.flow);
        assertEquals(2, h.transport.countStatus(200), "retransmitted request answered");
        assertSame(ok, h.transport.last().message());
        assertEquals(1, h.layer.retransmissions(), "a resend counts as a retransmission");
        assertEquals(1, h.user.requests.size());

        h.advance(T1.multipliedBy(64)); // Timer J
        assertNull(tx.lastResponse());
        h.assertGone(tx);
    }

    /** A BYE answered 200 over a transport that keeps the final as the datagram it sent (UDP). */
    private ServerTransaction byeAnsweredOverUdpKeptAsBytes() {
        h = new Harness(TransportKind.UDP, new RecordingTransport(true));
        SIPRequest bye = Sip.request("BYE").build();
        ServerTransaction tx = h.receiveNew(bye);
        tx.respond(Sip.response(bye, 200, "b1"));
        return tx;
    }

    /**
     * A transport that keeps the final as the datagram it sent (UDP): the transaction hands it to
     * the layer and ends at once; the layer answers retransmissions with those bytes until Timer J,
     * counts the transaction as active until then, and a request after that is new again.
     */
    @Test
    void nonInviteServerOnUdpHandsItsFinalsBytesToTheLayerAndEnds() {
        ServerTransaction tx = byeAnsweredOverUdpKeptAsBytes();

        assertTrue(tx.isTerminated(), "the object ends as it hands over");
        assertNull(tx.request());
        assertNull(tx.lastResponse());
        assertEquals(List.of(new Harness.Ended(tx, EndReason.COMPLETED)), h.ended);
        assertEquals(1, h.layer.activeTransactions(), "still active until Timer J, as its final's bytes");
        assertEquals(0, h.layer.transactionsInProgress(), "not in progress: a graceful stop does not wait for it");

        h.layer.receive(Sip.request("BYE").build(), h.flow);
        h.advance(T1.multipliedBy(63));
        h.layer.receive(Sip.request("BYE").build(), h.flow);
        assertEquals(1, h.user.requests.size(), "retransmissions absorbed, not given to the TU");
        assertEquals(1, h.transport.countStatus(200), "sent once as a message...");
        assertEquals(2, h.transport.datagrams().size(), "...and resent as its bytes on each retransmission");
        for (RecordingTransport.Resent resent : h.transport.datagrams()) {
            assertEquals(h.transport.kept().get(0).encode(), resent.text());
            assertSame(h.flow.remote(), resent.target());
            assertSame(h.flow.local(), resent.local());
        }
        assertEquals(2, h.layer.retransmissions(), "a resend counts as a retransmission");

        h.advance(T1); // Timer J
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.timer.pendingCount());
        h.layer.receive(Sip.request("BYE").build(), h.flow);
        assertEquals(2, h.user.requests.size(), "after Timer J the same request is a new transaction");
        assertEquals(2, h.transport.datagrams().size());
    }

    /**
     * Over UDP a send fails only locally and is reported later, on the shard: the failure of the
     * final's first send reaches a transaction that has already handed over and ended, and changes
     * nothing; the kept bytes still answer retransmissions.
     */
    @Test
    void aFailureOfTheFinalsFirstSendAfterTheHandOverChangesNothing() {
        ServerTransaction tx = byeAnsweredOverUdpKeptAsBytes();
        h.transport.failLast();

        assertEquals(List.of(new Harness.Ended(tx, EndReason.COMPLETED)), h.ended, "ended once, as completed");
        assertEquals(1, h.layer.activeTransactions());
        h.layer.receive(Sip.request("BYE").build(), h.flow);
        assertEquals(1, h.transport.datagrams().size(), "the retransmission still answered");
        assertEquals(1, h.user.requests.size());
    }
}

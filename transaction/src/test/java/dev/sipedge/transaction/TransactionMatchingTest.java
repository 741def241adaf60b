package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §17.1.3 and §17.2.3 matching (with the RFC 2543 fallback), §9.2 CANCEL lookup, strays, table hygiene. */
class TransactionMatchingTest {

    private final Harness h = new Harness(TransportKind.UDP);

    private void drainEverything() {
        h.advance(Duration.ofMinutes(10));
        assertEquals(0, h.layer.activeTransactions(), "table empty");
        assertEquals(0, h.timer.pendingCount(), "no timers left");
    }

    @Test
    void serverMatchingUsesBranchSentByAndMethod() {
        ServerTransaction invite = h.receiveNew(Sip.request("INVITE").build());
        h.layer.receive(Sip.request("INVITE").build(), h.flow);
        assertEquals(1, h.user.requests.size(), "same branch + sent-by + method: retransmission");
        ServerTransaction otherSentBy = h.receiveNew(Sip.request("INVITE").sentBy("192.0.2.9:5060").build());
        ServerTransaction otherBranch = h.receiveNew(Sip.request("INVITE").branch("z9hG4bK-2").build());
        ServerTransaction cancel = h.receiveNew(Sip.request("CANCEL").build());
        assertNotSame(invite, otherSentBy);
        assertNotSame(invite, otherBranch);
        assertTrue(!cancel.isInvite() && cancel != invite, "CANCEL is its own transaction");
        assertEquals(4, h.layer.activeTransactions());
        assertEquals(new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "INVITE"), invite.key());
        for (RecordingUser.Received r : h.user.requests) {
            r.tx().respond(Sip.response(r.request(), 487, "t"));
        }
        drainEverything();
    }

    /** The request as it comes back to us after a hop that added its own Via above ours. */
    private static SIPRequest cameBack(SIPRequest sent, String method) throws Exception {
        SIPRequest back = Sip.request(method).branch("z9hG4bK-next-hop").sentBy("192.0.2.7:5060").build();
        for (Object via : sent.getViaHeaders()) {
            back.addLast((Via) ((Via) via).clone());
        }
        return back;
    }

    @Test
    void aRequestCarryingTheBranchOfALiveClientTransactionWasSentByUs() throws Exception {
        SIPRequest invite = Sip.request("INVITE").branch("z9hG4bK-ours").build();
        ClientTransaction tx = h.layer.sendRequest(invite, h.flow, new RecordingClientListener());
        assertTrue(h.layer.sentByUs(cameBack(invite, "INVITE")), "our branch below the next hop's Via");
        assertFalse(h.layer.sentByUs(cameBack(invite, "OPTIONS")), "same branch, another method");
        assertFalse(h.layer.sentByUs(Sip.request("INVITE").branch("z9hG4bK-theirs").build()));

        h.layer.receive(Sip.response(invite, 486, "t"), h.flow);
        drainEverything();
        assertTrue(tx.isTerminated());
        assertFalse(h.layer.sentByUs(cameBack(invite, "INVITE")), "no longer once the transaction is gone");
    }

    @Test
    void cancelFindsItsInviteServerTransaction() {
        ServerTransaction invite = h.receiveNew(Sip.request("INVITE").build());
        assertSame(invite, h.layer.findInviteForCancel(Sip.request("CANCEL").build()));
        assertNull(h.layer.findInviteForCancel(Sip.request("CANCEL").branch("z9hG4bK-9").build()));
        assertNull(h.layer.findInviteForCancel(Sip.request("CANCEL").sentBy("192.0.2.9").build()));
        h.receiveNew(Sip.request("OPTIONS").branch("z9hG4bK-o").build());
        assertNull(h.layer.findInviteForCancel(Sip.request("CANCEL").branch("z9hG4bK-o").build()), "only INVITE");
        invite.respond(Sip.response(invite.request(), 200, "t"));
        h.user.requests.get(1).tx().respond(Sip.response(h.user.requests.get(1).request(), 200, "t"));
        drainEverything();
        assertNull(h.layer.findInviteForCancel(Sip.request("CANCEL").build()), "gone once terminated");
    }

    @Test
    void ackFor2xxWithItsOwnBranchGoesToTheTu() {
        ServerTransaction invite = h.receiveNew(Sip.request("INVITE").build());
        invite.respond(Sip.response(invite.request(), 200, "t"));
        SIPRequest ack = Sip.request("ACK").branch("z9hG4bK-ack").toTag("t").build();
        h.layer.receive(ack, h.flow);
        assertEquals(List.of(ack), h.user.acksWithoutTransaction);
        assertEquals(1, h.user.requests.size(), "an ACK never creates a transaction");
        drainEverything();
    }

    @Test
    void rfc2543FallbackMatchesRetransmissionsAcksAndCancel() {
        SIPRequest invite = Sip.request("INVITE").branch(null).build();
        ServerTransaction tx = h.receiveNew(invite);
        assertTrue(tx.key().branch().startsWith("rfc2543"));
        h.layer.receive(Sip.request("INVITE").branch(null).build(), h.flow);
        assertEquals(1, h.user.requests.size(), "retransmission matched without a branch");
        h.receiveNew(Sip.request("INVITE").branch(null).cseq(2).build()); // other CSeq: new transaction
        h.receiveNew(Sip.request("INVITE").branch("old-style-branch").build()); // non-cookie branch differs
        assertSame(tx, h.layer.findInviteForCancel(Sip.request("CANCEL").branch(null).build()));

        tx.respond(Sip.response(invite, 486, "t1"));
        h.layer.receive(Sip.request("ACK").branch(null).toTag("wrong").build(), h.flow);
        assertEquals(1, h.user.acksWithoutTransaction.size(), "ACK To tag must equal the response's");
        assertEquals(InviteServerTransaction.State.COMPLETED, ((InviteServerTransaction) tx).state());
        h.layer.receive(Sip.request("ACK").branch(null).toTag("t1").build(), h.flow);
        assertEquals(InviteServerTransaction.State.CONFIRMED, ((InviteServerTransaction) tx).state());
        assertEquals(1, h.user.acksWithoutTransaction.size());
        for (RecordingUser.Received r : h.user.requests.subList(1, h.user.requests.size())) {
            r.tx().respond(Sip.response(r.request(), 500, "t"));
        }
        drainEverything();
    }

    @Test
    void clientMatchingUsesBranchAndCSeqMethod() {
        RecordingClientListener inviteListener = new RecordingClientListener();
        RecordingClientListener cancelListener = new RecordingClientListener();
        SIPRequest invite = Sip.request("INVITE").branch("z9hG4bK-c").build();
        SIPRequest cancel = Sip.request("CANCEL").branch("z9hG4bK-c").build();
        ClientTransaction itx = h.layer.sendRequest(invite, h.flow, inviteListener);
        ClientTransaction ctx = h.layer.sendRequest(cancel, h.flow, cancelListener);
        assertEquals(2, h.layer.activeTransactions());
        assertEquals(new TransactionKey("z9hG4bK-c", "", "INVITE"), itx.key(), "a client's key has no sent-by");
        h.layer.receive(Sip.response(cancel, 200, "t"), h.flow);
        h.layer.receive(Sip.response(invite, 487, "t"), h.flow);
        assertEquals(List.of(200), cancelListener.statuses());
        assertEquals(List.of(487), inviteListener.statuses());
        assertTrue(ctx.finalReceived() && itx.finalReceived());
        h.layer.receive(Sip.response(Sip.request("INVITE").branch("z9hG4bK-none").build(), 200, "t"), h.flow);
        assertEquals(1, h.user.strayResponses.size(), "a response for no transaction is stray");
        drainEverything();
        assertEquals(List.of(EndReason.COMPLETED), inviteListener.terminations);
        assertEquals(List.of(EndReason.COMPLETED), cancelListener.terminations);
    }

    @Test
    void sendRequestRejectsAckAndDuplicateBranches() {
        RecordingClientListener l = new RecordingClientListener();
        assertThrows(IllegalArgumentException.class,
                () -> h.layer.sendRequest(Sip.request("ACK").toTag("t").build(), h.flow, l));
        h.layer.sendRequest(Sip.request("OPTIONS").build(), h.flow, l);
        assertThrows(IllegalStateException.class, () -> h.layer.sendRequest(Sip.request("OPTIONS").build(), h.flow, l));
        drainEverything();
    }

    @Test
    void listenersAreToldAndTheirExceptionsContained() {
        List<String> events = new ArrayList<>();
        h.layer.addListener(new TransactionListener() {
            @Override
            public void serverTransactionCreated(ServerTransaction tx) {
                events.add("created");
                throw new IllegalStateException("boom");
            }

            @Override
            public void responseSent(ServerTransaction tx, SIPResponse response) {
                events.add("sent " + response.getStatusCode());
                throw new IllegalStateException("boom");
            }

            @Override
            public void transactionEnded(Transaction tx, EndReason reason) {
                events.add("ended " + reason);
                throw new IllegalStateException("boom");
            }
        });
        ServerTransaction tx = h.receiveNew(Sip.request("OPTIONS").build());
        tx.respond(Sip.response(tx.request(), 200, "t"));
        drainEverything();
        assertEquals(List.of("created", "sent 200", "ended COMPLETED"), events);
        assertEquals(1, h.ended.size(), "the other listener still ran");
    }

    @Test
    void timerTasksOnlyHandInputsToTheShard() {
        List<Runnable> shardQueue = new ArrayList<>();
        ManualTimer timer = new ManualTimer();
        RecordingTransport transport = new RecordingTransport();
        TransactionLayer layer = new TransactionLayer(Harness.SETTINGS, timer, timer::nanoTime, shardQueue::add, transport,
                new RecordingUser());
        ClientTransaction tx = layer.sendRequest(Sip.request("OPTIONS").build(), h.flow, new RecordingClientListener());
        timer.advance(Harness.T1.multipliedBy(64));
        assertEquals(1, transport.sent().size(), "nothing happens until the shard runs the inputs");
        assertTrue(!tx.isTerminated() && !shardQueue.isEmpty());
        for (int i = 0; i < shardQueue.size() && i < 100; i++) {
            shardQueue.get(i).run();
        }
        assertTrue(tx.isTerminated());
        assertEquals(0, layer.activeTransactions());
    }
}

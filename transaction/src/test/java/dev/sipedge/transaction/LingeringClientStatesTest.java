package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.T1;
import static dev.sipedge.transaction.Harness.T4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client side of {@link LingeringStatesTest}: INVITE client transactions in Completed (Timer D)
 * and Accepted (Timer M), non-INVITE ones in Completed (Timer K), each kept by its layer as a key
 * or as its ACK's bytes over UDP where it can be, and behaving as before without its messages.
 */
class LingeringClientStatesTest {

    private Harness h;

    // --- INVITE client ---

    /**
     * A key beyond Latin-1 cannot go into the layer's store: the transaction lingers in Completed
     * keeping only its ACK, as the bytes that went out, and resends those itself.
     */
    @Test
    void anInviteClientWhoseKeyCannotBeKeptLingersInCompletedWithOnlyItsAck() {
        h = new Harness(TransportKind.UDP, new RecordingTransport(true));
        RecordingClientListener listener = new RecordingClientListener();
        SIPRequest invite = Sip.request("INVITE").branch("z9hG4bK\u0101").build();
        ClientTransaction tx = h.layer.sendRequest(invite, h.flow, listener);
        h.layer.receive(Sip.response(invite, 180, "b1"), h.flow);
        assertSame(invite, tx.request(), "Proceeding keeps the INVITE");
        h.layer.receive(Sip.response(invite, 486, "b1"), h.flow);

        InviteClientTransaction ict = (InviteClientTransaction) tx;
        assertEquals(InviteClientTransaction.State.COMPLETED, ict.state());
        assertEquals(1, h.layer.lingerHeld(SipTimer.D));
        assertNull(tx.request());
        String ack = new String(ict.ack(), StandardCharsets.UTF_8);
        assertEquals(List.of(ack), h.transport.encoded(), "the bytes that went out are the ones kept");
        SIPRequest sent = (SIPRequest) h.transport.last().message();
        assertEquals("ACK", sent.getMethod());
        assertEquals("b1", sent.getTo().getTag(), "written before the INVITE was dropped");
        assertEquals(invite.getTopmostVia().getBranch(), sent.getTopmostVia().getBranch());
        assertTrue(listener.terminations.isEmpty());

        h.layer.receive(Sip.response(invite, 486, "b1"), h.flow);
        assertEquals(List.of(ack, ack), h.transport.encoded(), "retransmitted final answered with the same ACK");
        assertEquals(2, h.transport.count("ACK"));
        assertTrue(h.transport.datagrams().isEmpty(), "resent by the transaction, not from the layer's store");
        assertEquals(1, h.layer.retransmissions());
        assertEquals(List.of(180, 486), listener.statuses(), "retransmission absorbed");

        h.advance(T1.multipliedBy(64)); // Timer D
        assertNull(ict.ack());
        assertEquals(List.of(EndReason.COMPLETED), listener.terminations);
        h.assertGone(tx);
    }

    /**
     * On UDP the ACK's bytes and the key are handed to the layer: the
     * machine and its listener end with the failure, and the layer resends the ACK on each
     * retransmitted failure and absorbs other responses until Timer D.
     */
    @Test
    void inviteClientCompletedOnUdpHandsItsAckToTheLayer() {
        h = new Harness(TransportKind.UDP, new RecordingTransport(true));
        RecordingClientListener listener = new RecordingClientListener();
        SIPRequest invite = h.invite();
        ClientTransaction tx = h.layer.sendRequest(invite, h.flow, listener);
        h.layer.receive(Sip.response(invite, 180, "b1"), h.flow);
        h.layer.receive(Sip.response(invite, 486, "b1"), h.flow);

        InviteClientTransaction ict = (InviteClientTransaction) tx;
        assertEquals(1, h.transport.count("ACK"));
        assertTrue(tx.isTerminated(), "ends with the failure");
        assertNull(ict.ack());
        assertEquals(List.of(EndReason.COMPLETED), listener.terminations);
        assertEquals(0, h.layer.lingerHeld(SipTimer.D), "no lingering entry holds the transaction");
        assertEquals(1, h.layer.activeTransactions(), "its key and ACK, until Timer D");

        h.layer.receive(Sip.response(invite, 486, "b1"), h.flow);
        assertEquals(1, h.transport.datagrams().size(), "the ACK resent from the layer");
        RecordingTransport.Resent resent = h.transport.datagrams().get(0);
        assertTrue(resent.text().startsWith("ACK "), resent.text());
        assertTrue(resent.text().contains(invite.getTopmostVia().getBranch()));
        assertEquals(h.flow.remote(), resent.target());
        assertEquals(h.transport.encoded(), List.of(resent.text()), "byte for byte the ACK that went out first");
        assertEquals(1, h.layer.retransmissions());
        h.layer.receive(Sip.response(invite, 180, "b1"), h.flow);
        h.layer.receive(Sip.response(invite, 200, "b1"), h.flow);
        assertEquals(1, h.transport.datagrams().size(), "a provisional or a 2xx is absorbed, not ACKed");
        assertTrue(h.user.strayResponses.isEmpty());
        assertEquals(List.of(180, 486), listener.statuses());

        h.advance(Duration.ofSeconds(32)); // Timer D
        assertEquals(0, h.layer.activeTransactions());
        h.layer.receive(Sip.response(invite, 486, "b1"), h.flow);
        assertEquals(1, h.transport.datagrams().size());
        assertEquals(1, h.user.strayResponses.size(), "after Timer D it matches nothing");
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void inviteClientAcceptedKeepsNothingAndStillPassesUp2xx(TransportKind kind) {
        h = new Harness(kind);
        RecordingClientListener listener = new RecordingClientListener();
        SIPRequest invite = h.invite();
        ClientTransaction tx = h.layer.sendRequest(invite, h.flow, listener);
        h.layer.receive(Sip.response(invite, 200, "b1"), h.flow);

        InviteClientTransaction ict = (InviteClientTransaction) tx;
        assertEquals(InviteClientTransaction.State.ACCEPTED, ict.state());
        assertNull(tx.request());
        assertNull(ict.ack());
        h.layer.receive(Sip.response(invite, 200, "b1"), h.flow);
        h.layer.receive(Sip.response(invite, 200, "b2"), h.flow);
        assertEquals(List.of(200, 200, 200), listener.statuses(), "RFC 6026 §8.4: every 2xx to the TU");
        assertEquals(1, h.transport.count("INVITE"));
        assertEquals(0, h.transport.count("ACK"));

        h.advance(T1.multipliedBy(64)); // Timer M
        assertEquals(List.of(EndReason.COMPLETED), listener.terminations);
        h.assertGone(tx);
    }

    /** Settled by the TU in Accepted, the INVITE client transaction ends; a later 2xx is a stray. */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aSettledInviteClientEndsAndLater2xxAreStrays(TransportKind kind) {
        h = new Harness(kind);
        RecordingClientListener listener = new RecordingClientListener();
        SIPRequest invite = h.invite();
        ClientTransaction tx = h.layer.sendRequest(invite, h.flow, listener);
        tx.settle();
        assertEquals(InviteClientTransaction.State.CALLING, ((InviteClientTransaction) tx).state(), "ignored before a 2xx");
        h.layer.receive(Sip.response(invite, 200, "b1"), h.flow);
        tx.settle();

        assertEquals(List.of(EndReason.COMPLETED), listener.terminations);
        h.assertGone(tx);
        SIPResponse again = Sip.response(invite, 200, "b1");
        h.layer.receive(again, h.flow);
        assertEquals(List.of(200), listener.statuses(), "the listener hears no more");
        assertEquals(List.of(again), h.user.strayResponses);
    }

    // --- non-INVITE client ---

    /**
     * On UDP the layer keeps the key alone until Timer K: the machine ends with its final, so
     * nothing of it (nor what its listener holds) stays reachable for T4.
     */
    @Test
    void nonInviteClientCompletedIsKeptAsItsKeyAndStillAbsorbsFinals() {
        h = new Harness(TransportKind.UDP);
        RecordingClientListener listener = new RecordingClientListener();
        SIPRequest bye = Sip.request("BYE").build();
        ClientTransaction tx = h.layer.sendRequest(bye, h.flow, listener);
        h.layer.receive(Sip.response(bye, 100, null), h.flow);
        assertSame(bye, tx.request(), "Proceeding keeps the request (Timer E)");
        h.layer.receive(Sip.response(bye, 200, "b1"), h.flow);

        assertNull(tx.request());
        assertEquals(List.of(EndReason.COMPLETED), listener.terminations, "ended with its final");
        assertTrue(tx.isTerminated());
        assertEquals(0, h.layer.lingerHeld(SipTimer.K), "no lingering entry holds the transaction");
        assertEquals(1, h.layer.activeTransactions(), "its key, until Timer K");
        int sent = h.transport.sent().size();
        h.layer.receive(Sip.response(bye, 200, "b1"), h.flow);
        assertEquals(List.of(100, 200), listener.statuses(), "retransmitted final absorbed");
        assertEquals(sent, h.transport.sent().size());
        assertTrue(h.user.strayResponses.isEmpty(), "still matched: not a stray");

        h.advance(T4); // Timer K
        assertEquals(0, h.layer.activeTransactions());
        h.layer.receive(Sip.response(bye, 200, "b1"), h.flow);
        assertEquals(1, h.user.strayResponses.size(), "after Timer K it matches nothing");
    }

    /**
     * The same branch and method again while the first transaction's key is kept (a retransmission
     * through a TCP hop upstream gets the same branch): a new transaction goes out and its final
     * reaches it, not the store.
     */
    @Test
    void aRequestWithAKeptKeyStartsANewClientTransaction() {
        h = new Harness(TransportKind.UDP);
        SIPRequest bye = Sip.request("BYE").build();
        h.layer.sendRequest(bye, h.flow, new RecordingClientListener());
        h.layer.receive(Sip.response(bye, 200, "b1"), h.flow);

        RecordingClientListener second = new RecordingClientListener();
        ClientTransaction again = h.layer.sendRequest(Sip.request("BYE").build(), h.flow, second);
        assertFalse(again.isTerminated());
        assertEquals(2, h.transport.count("BYE"));
        h.layer.receive(Sip.response(bye, 200, "b1"), h.flow);
        assertEquals(List.of(200), second.statuses(), "the live transaction is matched first");
        assertTrue(h.user.strayResponses.isEmpty());
    }

    @Test
    void clientTransactionLeavesTheTableOnTimeoutWithoutItsRequest() {
        h = new Harness(TransportKind.TCP);
        RecordingClientListener listener = new RecordingClientListener();
        ClientTransaction tx = h.layer.sendRequest(Sip.request("OPTIONS").build(), h.flow, listener);
        h.advance(T1.multipliedBy(64)); // Timer F
        assertEquals(List.of(EndReason.TIMEOUT), listener.terminations);
        h.assertGone(tx);
        h.layer.sendRequest(Sip.request("OPTIONS").build(), h.flow, listener); // same branch is free again
        assertEquals(1, h.layer.activeTransactions());
    }
}

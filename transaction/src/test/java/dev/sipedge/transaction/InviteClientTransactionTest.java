package dev.sipedge.transaction;

import static dev.sipedge.transaction.Harness.ONE_MS;
import static dev.sipedge.transaction.Harness.T1;
import static dev.sipedge.transaction.Harness.TIMER_C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 3261 §17.1.1 + RFC 6026 §8.4 + §16.8 Timer C, state by state, over UDP and TCP. */
class InviteClientTransactionTest {

    private Harness h;
    private RecordingClientListener listener;
    private SIPRequest invite;
    private ClientTransaction tx;

    private void start(TransportKind kind) {
        h = new Harness(kind);
        listener = new RecordingClientListener();
        invite = h.invite();
        tx = h.layer.sendRequest(invite, h.flow, listener);
    }

    private InviteClientTransaction.State state() {
        return ((InviteClientTransaction) tx).state();
    }

    private void respond(int status) {
        h.layer.receive(Sip.response(invite, status, "b1"), h.flow);
    }

    private void assertEndedOnce(EndReason reason) {
        assertMachineEndedOnce(reason);
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.timer.pendingCount(), "no timer left behind");
    }

    /** The machine ended, told its listener and the layer once; a key the layer keeps may outlive it. */
    private void assertMachineEndedOnce(EndReason reason) {
        assertTrue(tx.isTerminated());
        assertEquals(List.of(reason), listener.terminations);
        assertEquals(1, h.ended.size());
        assertSame(tx, h.ended.get(0).tx());
        assertEquals(reason, h.ended.get(0).reason());
    }

    // --- Calling ---

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void callingSendsOnceAndRetransmitsWithTimerAOnlyOnUnreliable(TransportKind kind) {
        start(kind);
        assertEquals(InviteClientTransaction.State.CALLING, state());
        assertEquals(1, h.transport.count("INVITE"));
        assertSame(h.flow, h.transport.last().flow());
        assertSame(tx, h.created.get(0));
        assertEquals(1, h.layer.activeTransactions());

        // A fires at T1, 3*T1, 7*T1, 15*T1, 31*T1, 63*T1 (doubling); B at 64*T1 ends it.
        h.advance(T1.minus(ONE_MS));
        assertEquals(1, h.transport.count("INVITE"));
        h.advance(ONE_MS);
        assertEquals(kind.reliable() ? 1 : 2, h.transport.count("INVITE"));
        h.advance(T1.multipliedBy(2));
        assertEquals(kind.reliable() ? 1 : 3, h.transport.count("INVITE"));
        h.advance(T1.multipliedBy(64 - 3).minus(ONE_MS));
        assertEquals(kind.reliable() ? 1 : 7, h.transport.count("INVITE"));
        assertEquals(kind.reliable() ? 0 : 6, h.layer.retransmissions());
        assertFalse(tx.isTerminated());
        h.advance(ONE_MS);
        assertEndedOnce(EndReason.TIMEOUT);
        assertTrue(listener.responses.isEmpty());
        assertEquals(0, listener.timerCFirings, "Timer B (64*T1) beats Timer C");
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void transportErrorInCallingEndsTransaction(TransportKind kind) {
        start(kind);
        h.transport.failLast();
        assertEndedOnce(EndReason.TRANSPORT_ERROR);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void synchronousSendFailureEndsTransactionWithoutLeakingTimers(TransportKind kind) {
        h = new Harness(kind);
        h.transport.failSends(true);
        listener = new RecordingClientListener();
        invite = h.invite();
        tx = h.layer.sendRequest(invite, h.flow, listener);
        assertEndedOnce(EndReason.TRANSPORT_ERROR);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void abandonBeforeAnyResponseIsATimeout(TransportKind kind) {
        start(kind);
        tx.abandon();
        assertEndedOnce(EndReason.TIMEOUT);
        tx.abandon();
        assertEquals(1, listener.terminations.size(), "onTerminated exactly once");
    }

    // --- Proceeding ---

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void provisionalStopsRetransmissionsAndTimerBAndIsPassedUp(TransportKind kind) {
        start(kind);
        respond(180);
        assertEquals(InviteClientTransaction.State.PROCEEDING, state());
        assertTrue(tx.provisionalReceived());
        assertFalse(tx.finalReceived());
        assertEquals(List.of(180), listener.statuses());
        h.advance(T1.multipliedBy(64));
        assertEquals(1, h.transport.count("INVITE"), "no retransmission after a provisional");
        assertFalse(tx.isTerminated(), "Timer B does not run in Proceeding");
        respond(183);
        assertEquals(List.of(180, 183), listener.statuses());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void timerCRestartsOnEveryProvisional(TransportKind kind) {
        start(kind);
        // Without the restart C would fire at TIMER_C after the request, inside this window.
        Duration half = TIMER_C.dividedBy(2);
        respond(180);
        h.advance(half);
        respond(180);
        h.advance(TIMER_C.minus(ONE_MS));
        assertEquals(0, listener.timerCFirings);
        h.advance(ONE_MS);
        assertEquals(1, listener.timerCFirings);
        assertFalse(tx.isTerminated(), "the proxy decides what Timer C means");
        tx.abandon();
        assertEndedOnce(EndReason.TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void timerCIsNotRestartedBy100(TransportKind kind) {
        start(kind);
        Duration early = T1.dividedBy(2);
        h.advance(early);
        respond(100);   // §16.7 step 2: only 101-199 reset Timer C
        h.advance(TIMER_C.minus(early));
        assertEquals(1, listener.timerCFirings, "C fires TIMER_C after the request despite the 100");
        assertTrue(tx.provisionalReceived(), "a 100 still allows a CANCEL (§9.1)");
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void abandonInProceedingIsATimeout(TransportKind kind) {
        start(kind);
        respond(100);
        tx.abandon();
        assertEndedOnce(EndReason.TIMEOUT);
    }

    // --- Completed ---

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void failureIsAckedPerSection17113AndTimerDEndsIt(TransportKind kind) {
        start(kind);
        respond(180);
        respond(486);
        assertEquals(List.of(180, 486), listener.statuses());
        assertTrue(tx.finalReceived());
        assertEquals(1, h.transport.count("ACK"));
        SIPRequest ack = (SIPRequest) h.transport.sent().stream().filter(s -> s.isRequest("ACK")).findFirst().get().message();
        assertEquals(invite.getRequestURI().toString(), ack.getRequestURI().toString());
        assertEquals(invite.getCallId().getCallId(), ack.getCallId().getCallId());
        assertEquals(invite.getFrom().getTag(), ack.getFrom().getTag());
        assertEquals("b1", ack.getTo().getTag());
        assertEquals(1L, ack.getCSeq().getSeqNumber());
        assertEquals("ACK", ack.getCSeq().getMethod());
        assertEquals(1, ack.getViaHeaders().size());
        Via via = ack.getTopmostVia();
        assertEquals(invite.getTopmostVia().getBranch(), via.getBranch());
        assertEquals(invite.getTopmostVia().getHost(), via.getHost());
        assertEquals(invite.getRouteHeaders().toString(), ack.getRouteHeaders().toString());
        assertEquals(0, ack.getContentLength().getContentLength());

        if (kind.reliable()) {
            assertEndedOnce(EndReason.COMPLETED); // Timer D = 0
            return;
        }
        // On UDP the key and the ACK's bytes go to the layer's store for Timer D and the machine
        // ends (its lingering in Completed, when the store cannot take them: LingeringClientStatesTest)
        assertMachineEndedOnce(EndReason.COMPLETED);
        respond(486); // retransmission: ACK again, not passed up
        assertEquals(List.of(h.transport.encoded().get(0)),
                h.transport.datagrams().stream().map(RecordingTransport.Resent::text).toList());
        assertEquals(List.of(180, 486), listener.statuses());
        assertEquals(1, h.layer.retransmissions());
        h.advance(Duration.ofSeconds(32).minus(ONE_MS));
        assertEquals(1, h.layer.activeTransactions(), "the key until Timer D");
        h.advance(ONE_MS);
        assertEquals(0, h.layer.activeTransactions());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void abandonAfterFinalIsANoOp(TransportKind kind) {
        start(kind);
        respond(603);
        tx.abandon();
        assertMachineEndedOnce(EndReason.COMPLETED);
    }

    // --- Accepted (RFC 6026) ---

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void successGoesToAcceptedPassesEvery2xxUpAndTimerMEndsIt(TransportKind kind) {
        start(kind);
        respond(200);
        assertEquals(InviteClientTransaction.State.ACCEPTED, state());
        h.layer.receive(Sip.response(invite, 200, "other-fork"), h.flow);
        respond(200);
        assertEquals(List.of(200, 200, 200), listener.statuses());
        assertEquals(0, h.transport.count("ACK"), "the ACK for a 2xx is the TU's");
        assertEquals(1, h.transport.count("INVITE"));
        h.advance(T1.multipliedBy(64).minus(ONE_MS));
        assertFalse(tx.isTerminated());
        h.advance(ONE_MS);
        assertEndedOnce(EndReason.COMPLETED);
        assertTrue(h.user.strayResponses.isEmpty());
        respond(200); // after Timer M the 2xx is stray (forwarded statelessly by the proxy)
        assertEquals(1, h.user.strayResponses.size());
    }
}

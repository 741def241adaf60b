package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.LINGER;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The life of a dialog driven through a real transaction layer: early, answered, confirmed, failed, ended. */
class DialogStatesTest {
    private final DialogHarness h = new DialogHarness();

    @Test
    void createdDialogIsUnconfirmedAndCounted() {
        Call c = h.call("s1");
        Dialog d = c.dialog();
        assertNotNull(d);
        assertFalse(c.tracked().spiral());
        assertInstanceOf(Creation.Tracked.class, c.creation);
        assertEquals(DialogState.UNCONFIRMED, d.state());
        assertEquals("s1", d.callId());
        assertEquals("a-s1", d.callerTag());
        assertEquals(1, d.inviteCseq());
        assertNull(d.callee());
        assertSame(d, h.tracker.find(d.id()));
        assertEquals(1, h.tracker.size());
        assertEquals(1.0, h.counter("sipedge_dialogs_processed"));
        assertTrue(d.id().startsWith("n1."), d.id());
    }

    @Test
    void provisionalWithTagMakesItEarlyAndWithoutTagDoesNot() {
        Call c = h.call("s2").forward(UAS);
        c.respond(UAS, 100, null);
        c.respond(UAS, 180, null);
        assertEquals(DialogState.UNCONFIRMED, c.dialog().state(), "no To tag: no early dialog (RFC 3261 §12.1)");
        c.respond(UAS, 183, "b1");
        assertEquals(DialogState.EARLY, c.dialog().state());
        assertEquals("b1", c.dialog().callee().tag());
        assertEquals(1.0, h.gauge("sipedge_dialogs_early"));
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"));
    }

    @Test
    void answeredThenConfirmedByAck() {
        Call c = h.call("s3").forward(UAS);
        c.respond(UAS, 180, "b1");
        c.respond(UAS, 200, "b1");
        Dialog d = c.dialog();
        assertEquals(DialogState.CONFIRMED_NA, d.state());
        assertTrue(d.answeredAtMillis() > 0);
        assertEquals(1.0, h.gauge("sipedge_dialogs_active"));
        assertEquals(0.0, h.gauge("sipedge_dialogs_early"));
        c.ack("b1");
        assertEquals(DialogState.CONFIRMED, d.state());
        assertNull(d.endCause());
    }

    @Test
    void ackWithWrongTagDoesNotConfirm() {
        Call c = h.call("s3b").forward(UAS);
        c.respond(UAS, 200, "b1");
        h.ack(c.fromCaller("ACK", "zz").cseq(1, "ACK").build(), DialogHarness.UAC);
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
    }

    @Test
    void failureEndsTheDialogAsFailed() {
        Call c = h.call("s4").forward(UAS);
        c.respond(UAS, 180, "b1");
        Dialog d = c.dialog();
        c.respond(UAS, 486, "b1");
        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.FAILED, d.endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"));
        assertNull(h.tracker.find(d.id()), "freed at once without delete delay");
        assertEquals(0, h.tracker.size());
        assertEquals(0.0, h.gauge("sipedge_dialogs_early"));
    }

    @Test
    void cancelThen487Fails() {
        Call c = h.call("s5").forward(UAS);
        c.respond(UAS, 180, "b1");
        c.cancel();
        assertEquals(DialogState.EARLY, c.dialog().state(), "CANCEL alone changes nothing; its 487 does");
        c.respond(UAS, 487, "b1");
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.FAILED, c.dialog().endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(0, h.tracker.size());
    }

    @Test
    void inviteTransactionDyingWithoutFinalResponseIsNotAnswered() {
        Call c = h.call("s6").forward(UAS);
        c.respond(UAS, 180, "b1");
        assertEquals(DialogState.EARLY, c.dialog().state());
        h.wire.failLast();   // the 180 toward the caller could not be sent: the INVITE server transaction dies
        assertTrue(c.serverTx.isTerminated());
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.NOT_ANSWERED, c.dialog().endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(0, h.tracker.size());
        assertTrue(h.tracker.transactions.initialInvites.isEmpty());
    }

    @Test
    void unconfirmedDialogAlsoEndsWhenItsTransactionDies() {
        Call c = h.call("s6b").forward(UAS);
        c.respond(UAS, 100, null);
        h.wire.failSends(true);
        c.respondLocally(408, null);   // cannot be sent: transport error in Proceeding... or Completed
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void callerByeEndsAsCallerBye() {
        Call c = h.call("s7").establish();
        DialogHarness.Seq bye = c.callerBye();
        assertSame(c.dialog(), bye.dialog());
        assertEquals(Direction.DOWNSTREAM, bye.matched().direction());
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
        assertEquals(0, h.tracker.size());
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"));
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"));
    }

    @Test
    void calleeByeEndsAsCalleeBye() {
        Call c = h.call("s8").establish();
        DialogHarness.Seq bye = c.calleeBye();
        assertEquals(Direction.UPSTREAM, bye.matched().direction());
        assertEquals(EndCause.CALLEE_BYE, c.dialog().endCause());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void byeBeforeAckStillEnds() {
        Call c = h.call("s9").forward(UAS);
        c.respond(UAS, 200, "b1");
        c.callerBye();
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
    }

    @Test
    void callerMayByeAnEarlyDialog() {
        Call c = h.call("s10").forward(UAS);
        c.respond(UAS, 180, "b1");
        c.callerBye();
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
        c.respond(UAS, 487, "b1");   // the INVITE's late failure changes nothing any more
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"), "never answered: counted as failed, once");
    }

    @Test
    void answeredDialogOutlivesItsInviteTransaction() {
        Call c = h.call("s11").establish();
        h.advance(LINGER);
        assertTrue(c.serverTx.isTerminated());
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertEquals(1, h.tracker.size());
        assertTrue(h.tracker.transactions.initialInvites.isEmpty());
    }

    @Test
    void reInviteDoesNotChangeState() {
        Call c = h.call("s12").establish();
        DialogHarness.Seq s = h.sequential(c.fromCaller("INVITE").contact("sip:alice@127.0.0.1:5061").build(),
                DialogHarness.UAC);
        s.respond(200, "sip:bob@127.0.0.1:5070", null);
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
    }
}

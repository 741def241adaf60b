package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 5407 clean-up with {@code end-on-race-condition}: a 2xx that crossed the caller's CANCEL
 * (§3.1.2) and an early BYE that crossed the callee's 2xx (§3.2.2) get BYEs to both legs after
 * {@code race-condition-timeout}, unless the UAs clear the call themselves.
 */
class RaceConditionsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RecordingSender sender = new RecordingSender();

    private DialogHarness harness(boolean endOnRace) {
        DialogHarness h = new DialogHarness(DialogHarness.settings().withRequests(
                DialogRequestSettings.defaults().withRaceCondition(endOnRace, TIMEOUT)));
        h.tracker.useSender(sender);
        return h;
    }

    /** Ringing; the caller CANCELs (the proxy tells the tracker) and the callee's 200 crosses it. */
    private static Call answeredAfterCancel(DialogHarness h, String callId) {
        Call c = h.call(callId).forward(UAS);
        c.respond(UAS, 180, "b1");
        c.cancel();
        h.tracker.onCancel(c.serverTx);
        c.respond(UAS, 200, "b1");
        return c;
    }

    /** Ringing; the caller's BYE ends the early dialog and is answered; the callee's 200 crossed it. */
    private static Call answeredAfterEarlyBye(DialogHarness h, String callId) {
        Call c = h.call(callId).forward(UAS);
        c.respond(UAS, 180, "b1");
        h.sequential(c.fromCaller("BYE").build(), UAC).respond(200);
        assertEquals(DialogState.ENDED, c.dialog().state());
        c.respond(UAS, 200, "b1");
        return c;
    }

    // ---- 2xx crossing CANCEL ----

    @Test
    void answerThatCrossedACancelIsByedAfterTheTimeout() {
        DialogHarness h = harness(true);
        Call c = answeredAfterCancel(h, "x1");
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
        h.advance(TIMEOUT.minusMillis(1));
        assertTrue(sender.sent.isEmpty());
        h.advance(Duration.ofMillis(1));
        assertEquals(2, sender.of("BYE").size());
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.RACE_CONDITION, c.dialog().endCause());
        assertEquals("Reason: " + EndCause.RACE_CONDITION.reasonHeader(),
                sender.toward("b1", "BYE").request.getHeader("Reason").toString().trim());
        assertEquals(2, sender.toward("b1", "BYE").cseq());
        assertEquals(1, sender.toward("a-x1", "BYE").cseq());
        assertEquals(1.0, h.counter("sipedge_dialog_race_cleanups"));
        sender.sent.forEach(s -> s.answer(200));
        assertEquals(0, h.tracker.size());
    }

    /**
     * The proxy settles an answered initial INVITE's transactions at once, so a CANCEL that crossed
     * the 200 finds no transaction any more: the tracker finds the dialog from the CANCEL itself.
     */
    @Test
    void aCancelThatCrossedTheAnswerOfASettledInviteIsFoundFromTheCancel() throws Exception {
        DialogHarness h = harness(true);
        Call c = h.call("x8").forward(UAS);
        c.respond(UAS, 180, "b1");
        c.respond(UAS, 200, "b1");
        SIPRequest cancel = (SIPRequest) c.invite.createCancelRequest();
        SIPRequest otherCall = (SIPRequest) cancel.clone();
        otherCall.setCallId("other-call");
        SIPRequest otherInvite = (SIPRequest) cancel.clone();
        otherInvite.getCSeq().setSeqNumber(cancel.getCSeq().getSeqNumber() + 1);
        h.tracker.onCancel(otherCall);
        h.tracker.onCancel(otherInvite);

        h.advance(TIMEOUT);
        assertTrue(sender.sent.isEmpty(), "only a CANCEL of this call's INVITE counts");
        h.tracker.onCancel(cancel);
        h.advance(TIMEOUT);
        assertEquals(2, sender.of("BYE").size(), "the crossed 200 is cleaned up as if the transaction had matched");
        assertEquals(DialogState.ENDED, c.dialog().state());
    }

    @Test
    void answerThatCrossedACancelIsByedAlsoWhenTheCallerAcked() {
        DialogHarness h = harness(true);
        Call c = answeredAfterCancel(h, "x2");
        c.ack("b1");
        h.advance(TIMEOUT);
        assertEquals(2, sender.of("BYE").size());
        assertEquals(EndCause.RACE_CONDITION, c.dialog().endCause());
    }

    @Test
    void callersByeBeforeTheTimeoutClearsTheRace() {
        DialogHarness h = harness(true);
        Call c = answeredAfterCancel(h, "x3");
        c.ack("b1");
        c.callerBye();
        h.advance(TIMEOUT.multipliedBy(2));
        assertTrue(sender.sent.isEmpty());
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
        assertEquals(0.0, h.counter("sipedge_dialog_race_cleanups"));
    }

    @Test
    void callersByeClearsTheRaceAlsoDuringADeleteDelay() {
        DialogHarness h = new DialogHarness(DialogHarness.settings()
                .withTimeouts(Duration.ofHours(1), true, Duration.ofSeconds(30))
                .withRequests(DialogRequestSettings.defaults().withRaceCondition(true, TIMEOUT)));
        h.tracker.useSender(sender);
        Call c = answeredAfterCancel(h, "x4");
        c.ack("b1");
        c.callerBye();
        h.advance(TIMEOUT);
        assertTrue(sender.sent.isEmpty());
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
    }

    @Test
    void cancelAnsweredWith487IsNoRace() {
        DialogHarness h = harness(true);
        Call c = h.call("x5").forward(UAS);
        c.respond(UAS, 180, "b1");
        c.cancel();
        h.tracker.onCancel(c.serverTx);
        c.respond(UAS, 487, "b1");
        h.advance(TIMEOUT.multipliedBy(2));
        assertTrue(sender.sent.isEmpty());
        assertEquals(EndCause.FAILED, c.dialog().endCause());
    }

    @Test
    void withoutTheOptionAnAnswerAfterCancelStaysUp() {
        DialogHarness h = harness(false);
        Call c = answeredAfterCancel(h, "x6");
        h.advance(TIMEOUT.multipliedBy(2));
        assertTrue(sender.sent.isEmpty());
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
    }

    @Test
    void cancelArrivingAfterTheAnswerWasRelayedIsARaceToo() {
        DialogHarness h = harness(true);
        Call c = h.call("x7").forward(UAS);
        c.respond(UAS, 180, "b1");
        c.respond(UAS, 200, "b1");
        c.cancel();
        h.tracker.onCancel(c.serverTx);
        h.advance(TIMEOUT);
        assertEquals(2, sender.of("BYE").size());
        assertEquals(EndCause.RACE_CONDITION, c.dialog().endCause());
    }

    // ---- early BYE crossing 2xx ----

    @Test
    void earlyByeCrossedByAnAnswerIsByedAfterTheTimeoutThenFreed() {
        DialogHarness h = harness(true);
        Call c = answeredAfterEarlyBye(h, "y1");
        Dialog d = c.dialog();
        assertEquals(1, h.tracker.size(), "held for the timeout");
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"), "ended early: counted as failed once");
        h.advance(TIMEOUT.minusMillis(1));
        assertTrue(sender.sent.isEmpty());
        h.advance(Duration.ofMillis(1));
        assertEquals(2, sender.of("BYE").size());
        assertEquals(3, sender.toward("b1", "BYE").cseq(), "above the caller's BYE (2)");
        assertEquals(1, sender.toward("a-y1", "BYE").cseq());
        assertEquals(UAS, sender.toward("b1", "BYE").hop.flow().remote());
        assertEquals("sip:bob@127.0.0.1:5070", sender.toward("b1", "BYE").request.getRequestURI().toString());
        assertEquals(EndCause.RACE_CONDITION, d.endCause());
        assertTrue(d.terminating());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"), "not counted again");
        assertEquals(1.0, h.counter("sipedge_dialog_race_cleanups"), "the clean-up is");
        sender.sent.forEach(s -> s.answer(200));
        assertFalse(d.terminating());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void earlyByeWithoutAnAnswerIsFreedAfterTheTimeout() {
        DialogHarness h = harness(true);
        Call c = h.call("y2").forward(UAS);
        c.respond(UAS, 180, "b1");
        h.sequential(c.fromCaller("BYE").build(), UAC).respond(200);
        c.respond(UAS, 487, "b1");
        assertEquals(1, h.tracker.size());
        h.advance(TIMEOUT);
        assertTrue(sender.sent.isEmpty());
        assertEquals(0, h.tracker.size());
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
    }

    @Test
    void secondByeOfTheCallerClearsTheEarlyByeRace() {
        DialogHarness h = harness(true);
        Call c = answeredAfterEarlyBye(h, "y3");
        h.ack(c.fromCaller("ACK").cseq(1, "ACK").build(), UAC);
        h.sequential(c.fromCaller("BYE").build(), UAC).respond(200);
        h.advance(TIMEOUT);
        assertTrue(sender.sent.isEmpty());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void withoutTheOptionAnEarlyByeFreesAtOnceAndALateAnswerIsIgnored() {
        DialogHarness h = harness(false);
        Call c = h.call("y4").forward(UAS);
        c.respond(UAS, 180, "b1");
        h.sequential(c.fromCaller("BYE").build(), UAC).respond(200);
        assertEquals(0, h.tracker.size());
        c.respond(UAS, 200, "b1");
        h.advance(TIMEOUT.multipliedBy(2));
        assertTrue(sender.sent.isEmpty());
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
        assertEquals(0.0, h.counter("sipedge_dialog_race_cleanups"));
    }
}

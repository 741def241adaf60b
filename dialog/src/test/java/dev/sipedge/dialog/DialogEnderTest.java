package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ends the module makes itself: BYE on timeout and operator end (BYE to both legs from one snapshot,
 * CANCEL while early), the CSeq of those BYEs, and when the dialog is freed.
 */
class DialogEnderTest {
    private static final Duration LIFETIME = Duration.ofSeconds(10);
    private static final DialogOptions BYE_ON_TIMEOUT = DialogOptions.TRACK.withTimeout(LIFETIME).withByeOnTimeout(true);

    private final RecordingSender sender = new RecordingSender();

    private DialogHarness harness(DialogSettings settings) {
        DialogHarness h = new DialogHarness(settings);
        h.tracker.useSender(sender);
        return h;
    }

    private DialogHarness harness() {
        return harness(DialogHarness.settings());
    }

    /** {@code line} inserted after the request line (a header Msgs has no builder method for). */
    static SIPRequest withHeader(SIPRequest r, String line) {
        String text = r.encode();
        int eol = text.indexOf("\r\n");
        return (SIPRequest) Msgs.parse(text.substring(0, eol + 2) + line + "\r\n" + text.substring(eol + 2));
    }

    /** Records the events of every dialog, in order. */
    private static List<String> events(DialogHarness h) {
        List<String> events = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onTerminated(Dialog d, SIPRequest bye) {
                events.add("terminated " + d.endCause() + " " + (bye == null ? "by us" : bye.getMethod()));
            }

            @Override
            public void onExpired(Dialog d) {
                events.add("expired " + d.state());
            }

            @Override
            public void onFailed(Dialog d, SIPResponse response) {
                events.add("failed " + d.endCause() + " " + (response == null ? "-" : response.getStatusCode()));
            }

            @Override
            public void onDestroyed(Dialog d) {
                events.add("destroyed");
            }
        });
        return events;
    }

    // ---- BYE CSeq ----

    @Test
    void byeTowardACallerThatNeverGotARequestUsesOne() {
        DialogHarness h = harness();
        Call c = h.call("c1").establish();
        assertTrue(c.dialog().terminate());
        assertEquals(2, sender.of("BYE").size());
        assertEquals(1, sender.toward(c.dialog().callerTag(), "BYE").cseq());
        assertEquals(2, sender.toward("b1", "BYE").cseq(), "one above the INVITE's 1");
    }

    @Test
    void byeTowardTheCalleeIsAboveALargeInitialCseq() {
        DialogHarness h = harness();
        Call c = h.call(Msgs.invite("c2").cseq(1_000_000).build(), DialogOptions.TRACK).establish();
        c.dialog().terminate();
        assertEquals(1_000_001, sender.toward("b1", "BYE").cseq());
        assertEquals(1, sender.toward("a-c2", "BYE").cseq());
    }

    @Test
    void byeIsAboveAPrack() {
        DialogHarness h = harness();
        Call c = h.call("c3").forward(UAS);
        c.respond(UAS, 183, "b1");
        DialogHarness.Seq prack = h.sequential(withHeader(c.fromCaller("PRACK").build(), "RAck: 1 1 INVITE"), UAC);
        assertEquals(2, prack.request().getCSeq().getSeqNumber());
        prack.respond(200);
        c.respond(UAS, 200, "b1");
        c.ack("b1");
        c.dialog().terminate();
        assertEquals(3, sender.toward("b1", "BYE").cseq());
    }

    @Test
    void byeIsAboveReInvitesInEachDirection() {
        DialogHarness h = harness();
        Call c = h.call("c4").establish();
        h.sequential(c.fromCaller("INVITE").cseq(7).build(), UAC).respond(200);
        h.sequential(c.fromCallee("INVITE").cseq(250).build(), UAS).respond(200);
        c.dialog().terminate();
        assertEquals(8, sender.toward("b1", "BYE").cseq());
        assertEquals(251, sender.toward("a-c4", "BYE").cseq());
    }

    @Test
    void byeCseqGapIsAdded() {
        DialogHarness h = harness(DialogHarness.settings().withRequests(
                DialogRequestSettings.defaults().withExtraHeaders(List.of("X-Ended-By: edge"), 10)));
        Call c = h.call("c5").establish();
        h.sequential(c.fromCallee("INFO").cseq(300).build(), UAS).respond(200);
        c.dialog().terminate();
        RecordingSender.Sent towardCaller = sender.toward("a-c5", "BYE");
        assertEquals(311, towardCaller.cseq());
        assertEquals(12, sender.toward("b1", "BYE").cseq());
        assertEquals("edge", towardCaller.request.getHeader("X-Ended-By").toString().split(":")[1].trim());
        assertEquals(311, c.dialog().caller().cseqTo(), "our BYE counts as sent toward the leg");
        assertEquals(12, c.dialog().callee().cseqTo());
    }

    // ---- BYE on timeout ----

    @Test
    void byeOnTimeoutByesBothLegsAndIsFreedAfterBothTransactions() {
        DialogHarness h = harness();
        List<String> events = events(h);
        Call c = h.call(Msgs.invite("t1").build(), BYE_ON_TIMEOUT).establish();
        Dialog d = c.dialog();
        h.advance(LIFETIME.minusMillis(1));
        assertTrue(sender.sent.isEmpty());
        h.advance(Duration.ofMillis(1));
        assertEquals(2, sender.sent.size());
        RecordingSender.Sent towardCaller = sender.toward("a-t1", "BYE");
        RecordingSender.Sent towardCallee = sender.toward("b1", "BYE");
        assertEquals("Reason: " + EndCause.EXPIRED.reasonHeader(),
                towardCallee.request.getHeader("Reason").toString().trim());
        assertEquals(UAC, towardCaller.hop.flow().remote());
        assertEquals(UAS, towardCallee.hop.flow().remote());
        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.EXPIRED, d.endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_expired"));
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"));
        assertTrue(d.terminating());
        assertEquals(1, h.tracker.size(), "kept while the BYEs run");
        assertEquals(List.of("expired ENDED"), events);

        towardCaller.answer(200);
        assertTrue(d.terminating());
        assertEquals(1, h.tracker.size());
        towardCallee.answer(481);
        assertFalse(d.terminating());
        assertEquals(0, h.tracker.size());
        assertEquals(List.of("expired ENDED", "destroyed"), events);
        assertFalse(d.terminate(), "over already");
    }

    @Test
    void byeOnTimeoutWaitsForTheDeleteDelayAfterTheByes() {
        DialogHarness h = harness(DialogHarness.settings().withTimeouts(Duration.ofHours(1), true, Duration.ofSeconds(5)));
        Call c = h.call(Msgs.invite("t2").build(), BYE_ON_TIMEOUT).establish();
        h.advance(LIFETIME);
        sender.of("BYE").get(0).timeout();
        h.advance(Duration.ofSeconds(20));
        assertEquals(1, h.tracker.size(), "one BYE still running");
        sender.of("BYE").get(1).answer(200);
        assertFalse(c.dialog().terminating());
        h.advance(Duration.ofMillis(4999));
        assertEquals(1, h.tracker.size());
        h.advance(Duration.ofMillis(1));
        assertEquals(0, h.tracker.size());
    }

    @Test
    void secondByeGoesWhenTheSenderThrowsForTheFirst() {
        DialogHarness h = harness();
        sender.throwOn = r -> "a-t3".equals(r.getToTag());
        Call c = h.call(Msgs.invite("t3").build(), BYE_ON_TIMEOUT).establish();
        h.advance(LIFETIME);
        assertEquals(2, sender.of("BYE").size(), "the first was handed over (and refused), the second went");
        assertEquals("a-t3", sender.sent.get(0).request.getToTag(), "toward the caller first");
        assertTrue(c.dialog().terminating());
        assertEquals(1, h.tracker.size());
        sender.toward("b1", "BYE").answer(200);
        assertEquals(0, h.tracker.size());
        assertEquals(1.0, h.counter("sipedge_dialogs_expired"));
    }

    @Test
    void secondByeGoesWhenTheFirstFailsAtOnce() {
        DialogHarness h = harness();
        sender.failOn = r -> "a-t4".equals(r.getToTag());
        Call c = h.call(Msgs.invite("t4").build(), BYE_ON_TIMEOUT).establish();
        h.advance(LIFETIME);
        assertEquals(2, sender.of("BYE").size());
        assertTrue(c.dialog().terminating(), "not freed under the second BYE");
        assertEquals(1, h.tracker.size());
        sender.toward("b1", "BYE").timeout();
        assertEquals(0, h.tracker.size());
    }

    @Test
    void dialogIsFreedAtOnceWhenNoByeCanBeSent() {
        DialogHarness h = harness();
        sender.throwOn = r -> true;
        Call c = h.call(Msgs.invite("t5").build(), BYE_ON_TIMEOUT).establish();
        h.advance(LIFETIME);
        assertEquals(2, sender.sent.size());
        assertFalse(c.dialog().terminating());
        assertEquals(0, h.tracker.size());
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
    }

    @Test
    void withoutASenderTheDialogStillEnds() {
        DialogHarness h = new DialogHarness();     // DialogRequestSender.NONE
        Call c = h.call(Msgs.invite("t6").build(), BYE_ON_TIMEOUT).establish();
        h.advance(LIFETIME);
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(0, h.tracker.size());
        assertEquals(1.0, h.counter("sipedge_dialogs_expired"));
    }

    @Test
    void withoutByeOnTimeoutNoByeIsSent() {
        DialogHarness h = harness();
        Call c = h.call(Msgs.invite("t7").build(), DialogOptions.TRACK.withTimeout(LIFETIME)).establish();
        h.advance(LIFETIME);
        assertTrue(sender.sent.isEmpty());
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
        assertFalse(c.dialog().terminating());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void byeOnTimeoutAlsoWhenTheAckNeverCame() {
        DialogHarness h = harness();
        Call c = h.call(Msgs.invite("t8").build(), BYE_ON_TIMEOUT).forward(UAS);
        c.respond(UAS, 200, "b1");
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
        h.advance(LIFETIME);
        assertEquals(2, sender.of("BYE").size());
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
    }

    @Test
    void byeOfTheUasDuringTerminationIsRelayedReadOnly() {
        DialogHarness h = harness();
        Call c = h.call(Msgs.invite("t9").build(), BYE_ON_TIMEOUT).establish();
        h.advance(LIFETIME);
        DialogHarness.Seq bye = h.sequential(c.fromCallee("BYE").build(), UAS);
        assertSame(c.dialog(), bye.dialog());
        assertInstanceOf(Sequential.Matched.class, bye.result());
        assertEquals(EndCause.EXPIRED, c.dialog().endCause(), "the first end stands");
        assertTrue(c.dialog().terminating());
    }

    // ---- operator end ----

    @Test
    void operatorEndOfAConfirmedDialogByesBothLegs() {
        DialogHarness h = harness();
        List<String> events = events(h);
        Call c = h.call("o1").establish();
        Dialog d = c.dialog();
        assertTrue(d.terminate());
        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.OPERATOR, d.endCause());
        assertEquals(2, sender.of("BYE").size());
        for (RecordingSender.Sent bye : sender.sent) {
            assertEquals("Reason: " + EndCause.OPERATOR.reasonHeader(), bye.request.getHeader("Reason").toString().trim());
        }
        assertTrue(sender.cancels.isEmpty());
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(0.0, h.counter("sipedge_dialogs_expired"));
        assertFalse(d.terminate(), "a second end finds it ended");
        assertEquals(2, sender.sent.size());
        sender.sent.forEach(s -> s.answer(200));
        assertEquals(List.of("terminated OPERATOR by us", "destroyed"), events);
    }

    @Test
    void operatorEndOfAnUnacknowledgedAnswerByesToo() {
        DialogHarness h = harness();
        Call c = h.call("o2").forward(UAS);
        c.respond(UAS, 200, "b1");
        assertTrue(c.dialog().terminate());
        assertEquals(2, sender.of("BYE").size());
    }

    @Test
    void operatorEndOfAnEarlyDialogCancelsAndEndsWithTheFinalResponse() {
        DialogHarness h = harness();
        List<String> events = events(h);
        Call c = h.call("o3").forward(UAS);
        c.respond(UAS, 180, "b1");
        Dialog d = c.dialog();
        assertTrue(d.terminate());
        assertEquals(List.of(c.serverTx), sender.cancels);
        assertTrue(sender.sent.isEmpty(), "no BYE on an early dialog");
        assertEquals(DialogState.EARLY, d.state(), "ends when the 487 goes upstream");
        assertFalse(d.terminate(), "the CANCEL is under way");
        assertEquals(1, sender.cancels.size());
        c.respond(UAS, 487, "b1");
        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.OPERATOR, d.endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(List.of("failed OPERATOR 487", "destroyed"), events);
    }

    @Test
    void operatorEndBeforeAnyProvisionalCancelsToo() {
        DialogHarness h = harness();
        Call c = h.call("o4").forward(UAS);
        assertEquals(DialogState.UNCONFIRMED, c.dialog().state());
        assertTrue(c.dialog().terminate());
        assertEquals(1, sender.cancels.size());
        c.respond(UAS, 487, "b1");
        assertEquals(EndCause.OPERATOR, c.dialog().endCause());
    }

    @Test
    void nothingToCancelLeavesTheDialogAlone() {
        DialogHarness h = harness();
        sender.cancelResult = false;
        Call c = h.call("o5").forward(UAS);
        c.respond(UAS, 180, "b1");
        assertFalse(c.dialog().terminate());
        c.respond(UAS, 486, "b1");
        assertEquals(EndCause.FAILED, c.dialog().endCause(), "no operator cause left behind");
    }

    @Test
    void endedDialogCannotBeTerminated() {
        DialogHarness h = harness();
        Call c = h.call("o6").establish();
        c.callerBye();
        assertFalse(c.dialog().terminate());
        assertTrue(sender.sent.isEmpty());
    }

    @Test
    void operatorEndCrossedByAnAnswerIsCarriedOutWithByes() {
        DialogHarness h = harness();
        Call c = h.call("o7").forward(UAS);
        c.respond(UAS, 180, "b1");
        assertTrue(c.dialog().terminate());
        c.respond(UAS, 200, "b1");      // the callee answered before our CANCEL reached it
        c.ack("b1");
        assertEquals(2, sender.of("BYE").size(), "terminate() said the dialog ends");
        assertEquals(EndCause.OPERATOR, c.dialog().endCause());
    }

    @Test
    void operatorEndOvertakenByAnAnswerWithoutAckByesAfterTheRaceTimeout() {
        DialogHarness h = harness();
        Call c = h.call("o8").forward(UAS);
        c.respond(UAS, 180, "b1");
        assertTrue(c.dialog().terminate());
        c.respond(UAS, 200, "b1");
        h.advance(DialogRequestSettings.defaults().raceConditionTimeout().minusMillis(1));
        assertTrue(sender.sent.isEmpty());
        h.advance(Duration.ofMillis(1));
        assertEquals(2, sender.of("BYE").size(), "also without end-on-race-condition: the end was asked for");
        assertEquals(EndCause.OPERATOR, c.dialog().endCause());
    }
}

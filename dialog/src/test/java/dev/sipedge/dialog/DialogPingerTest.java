package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.EndReason;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** OPTIONS and re-INVITE pings on the manual timer: when they go, what they carry, and what their outcome does. */
class DialogPingerTest {
    private static final Duration OPTIONS_EVERY = Duration.ofSeconds(40);
    private static final Duration REINVITE_EVERY = Duration.ofSeconds(300);
    private static final String ALICE_CONTACT = "sip:alice@127.0.0.1:5061";
    private static final String BOB_CONTACT = "sip:bob@127.0.0.1:5070";

    private final RecordingSender sender = new RecordingSender();

    private DialogHarness harness(int failedPingLimit) {
        DialogHarness h = new DialogHarness(DialogHarness.settings().withRequests(
                DialogRequestSettings.defaults().withFailedPingLimit(failedPingLimit)));
        h.tracker.useSender(sender);
        return h;
    }

    private final DialogHarness h = harness(1);

    /** A confirmed call with SDP in the INVITE and the 2xx, pinged as asked. */
    private Call call(DialogHarness harness, String callId, PingMode caller, PingMode callee) {
        Call c = harness.call(Msgs.invite(callId).sdp(Msgs.SDP_OFFER).build(),
                DialogOptions.TRACK.withPings(caller, callee)).forward(UAS);
        c.respond(UAS, 180, "b1");
        c.receive(UAS, c.answer(UAS, 200, "b1").sdp(Msgs.SDP_ANSWER).build(), true);
        c.ack("b1");
        return c;
    }

    private Call call(String callId, PingMode caller, PingMode callee) {
        return call(h, callId, caller, callee);
    }

    // ---- when ----

    @Test
    void noPingBeforeTheAck() {
        Call c = h.call(Msgs.invite("p1").build(), DialogOptions.TRACK.withPings(PingMode.OPTIONS, PingMode.OPTIONS))
                .forward(UAS);
        c.respond(UAS, 180, "b1");
        h.advance(OPTIONS_EVERY.multipliedBy(2));
        c.respond(UAS, 200, "b1");
        // longer than a ping interval, shorter than the no-ACK timeout (which would end the call)
        h.advance(DialogSettings.DEFAULT_NOACK_TIMEOUT.minusSeconds(1));
        assertTrue(sender.sent.isEmpty());
        c.ack("b1");
        h.advance(OPTIONS_EVERY.minusMillis(1));
        assertTrue(sender.sent.isEmpty());
        h.advance(Duration.ofMillis(1));
        assertEquals(2, sender.of("OPTIONS").size(), "one per pinged leg");
    }

    @Test
    void onlyThePingedLegsArePingedAtTheirInterval() {
        Call c = call("p2", PingMode.NONE, PingMode.OPTIONS);
        h.advance(OPTIONS_EVERY);
        sender.toward("b1", "OPTIONS").answer(200);
        h.advance(OPTIONS_EVERY);
        assertEquals(2, sender.of("OPTIONS").size());
        assertTrue(sender.sent.stream().allMatch(s -> "b1".equals(s.request.getToTag())), "the caller is not pinged");
        assertEquals(2, c.dialog().callee().ping.sent);
        assertNull(c.dialog().caller().ping);
    }

    @Test
    void noPingWhileOneToTheSameLegIsPending() {
        call("p3", PingMode.NONE, PingMode.OPTIONS);
        h.advance(OPTIONS_EVERY.multipliedBy(3));
        assertEquals(1, sender.sent.size(), "the first is unanswered: later rounds are skipped");
        sender.last().answer(200);
        h.advance(OPTIONS_EVERY);
        assertEquals(2, sender.sent.size());
    }

    @Test
    void noPingWhileAnInviteTransactionIsOpenOnTheDialog() {
        Call c = call("p4", PingMode.OPTIONS, PingMode.REINVITE);
        DialogHarness.Seq reinvite = h.sequential(c.fromCaller("INVITE").build(), UAC);
        h.advance(REINVITE_EVERY);
        assertTrue(sender.sent.isEmpty(), "neither leg is pinged across the caller's re-INVITE");
        reinvite.respond(200);
        h.advance(DialogHarness.LINGER);      // the INVITE server transaction ends
        assertEquals(0, c.dialog().openInvites);
        h.advance(REINVITE_EVERY);
        assertEquals(1, sender.of("INVITE").size());
        assertFalse(sender.of("OPTIONS").isEmpty());
    }

    @Test
    void reInvitePingToOneLegDoesNotHoldBackTheOtherLegsPings() {
        Call c = call("p5", PingMode.OPTIONS, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        RecordingSender.Sent ping = sender.toward("b1", "INVITE");
        assertEquals(0, c.dialog().openInvites, "only relayed INVITEs count: no glare between the two legs");
        sender.of("OPTIONS").stream().filter(s -> !s.ended()).forEach(s -> s.answer(200));
        int optionsBefore = sender.of("OPTIONS").size();
        h.advance(OPTIONS_EVERY);
        assertEquals(optionsBefore + 1, sender.of("OPTIONS").size(), "the caller is pinged while the callee's ping runs");
        assertTrue(c.dialog().callee().ping.pending);
        ping.answer(200, BOB_CONTACT);
        assertFalse(c.dialog().callee().ping.pending);
    }

    @Test
    void pingsStopWhenTheDialogEnds() {
        Call c = call("p6", PingMode.OPTIONS, PingMode.OPTIONS);
        h.advance(OPTIONS_EVERY);
        RecordingSender.Sent ping = sender.of("OPTIONS").get(0);
        c.callerBye();
        ping.answer(481);
        h.advance(OPTIONS_EVERY.multipliedBy(3));
        assertEquals(2, sender.sent.size(), "no BYE for a 481 after the end, no later pings");
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
    }

    // ---- what ----

    @Test
    void optionsPingUsesACseqBelowTheCurrentAndShiftsNothing() {
        Call c = call("p7", PingMode.OPTIONS, PingMode.OPTIONS);
        h.sequential(c.fromCaller("INFO").cseq(5).build(), UAC).respond(200);
        h.sequential(c.fromCallee("INFO").cseq(300).build(), UAS).respond(200);
        h.advance(OPTIONS_EVERY);
        RecordingSender.Sent towardCallee = sender.toward("b1", "OPTIONS");
        RecordingSender.Sent towardCaller = sender.toward("a-p7", "OPTIONS");
        assertEquals(4, towardCallee.cseq());
        assertEquals(299, towardCaller.cseq());
        assertEquals(BOB_CONTACT, towardCallee.request.getRequestURI().toString());
        assertEquals(ALICE_CONTACT, towardCaller.request.getRequestURI().toString());
        assertEquals("a-p7", towardCallee.request.getFromTag());
        assertEquals("b1", towardCaller.request.getFromTag());
        assertEquals(UAS, towardCallee.hop.flow().remote());
        assertEquals(UAC, towardCaller.hop.flow().remote());
        assertEquals(0, c.dialog().callee().cseqShift());
        assertEquals(0, c.dialog().caller().cseqShift());
        assertEquals(5, c.dialog().callee().cseqTo(), "an OPTIONS ping is not above what was sent");
        towardCallee.answer(500);
        towardCaller.answer(200);
        DialogHarness.Seq info = h.sequential(c.fromCaller("INFO").cseq(6).build(), UAC);
        assertEquals(0, info.matched().cseqShift());
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertTrue(sender.acks.isEmpty());
    }

    @Test
    void optionsPingTowardALegThatGotNothingYetUsesZero() {
        call("p8", PingMode.OPTIONS, PingMode.NONE);
        h.advance(OPTIONS_EVERY);
        assertEquals(0, sender.toward("a-p8", "OPTIONS").cseq());
    }

    @Test
    void reInvitePingTowardTheCalleeCarriesTheCallersContactAndTheOffer() {
        Call c = call("p9", PingMode.NONE, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        RecordingSender.Sent ping = sender.toward("b1", "INVITE");
        SIPRequest r = ping.request;
        assertEquals(2, ping.cseq(), "one above the INVITE's 1");
        assertEquals("INVITE", r.getCSeq().getMethod());
        assertEquals(BOB_CONTACT, r.getRequestURI().toString());
        assertEquals(ALICE_CONTACT, LegData.contact(r));
        assertEquals(Msgs.SDP_OFFER, LegData.sdp(r), "the last SDP the callee received, unchanged");
        assertEquals("a-p9", r.getFromTag());
        assertEquals("b1", r.getToTag());
        assertEquals(UAS, ping.hop.flow().remote());
        assertEquals(1, c.dialog().callee().cseqShift());
        assertEquals(2, c.dialog().callee().cseqTo());
    }

    @Test
    void reInvitePingTowardTheCallerCarriesTheCalleesContactAndTheAnswer() {
        Call c = call("p10", PingMode.REINVITE, PingMode.NONE);
        h.advance(REINVITE_EVERY);
        RecordingSender.Sent ping = sender.toward("a-p10", "INVITE");
        assertEquals(1, ping.cseq(), "one above nothing");
        assertEquals(ALICE_CONTACT, ping.request.getRequestURI().toString());
        assertEquals(BOB_CONTACT, LegData.contact(ping.request));
        assertEquals(Msgs.SDP_ANSWER, new String(ping.request.getRawContent(), StandardCharsets.UTF_8));
        assertEquals(1, c.dialog().caller().cseqShift());
        assertEquals(0, c.dialog().callee().cseqShift());
    }

    @Test
    void reInvitePingFollowsTheLatestSdpTheLegReceived() {
        Call c = call("p11", PingMode.NONE, PingMode.REINVITE);
        String newOffer = Msgs.SDP_OFFER.replace("4000", "4002");
        h.sequential(c.fromCaller("INVITE").sdp(newOffer).build(), UAC).respond(200, BOB_CONTACT, Msgs.SDP_ANSWER);
        h.advance(DialogHarness.LINGER);
        h.advance(REINVITE_EVERY);
        assertEquals(newOffer, LegData.sdp(sender.toward("b1", "INVITE").request));
    }

    @Test
    void lateOfferPingCarriesTheAnswerFromTheAck() {
        Call c = h.call(Msgs.invite("p24").build(), DialogOptions.TRACK.withPings(PingMode.NONE, PingMode.REINVITE))
                .forward(UAS);
        c.receive(UAS, c.answer(UAS, 200, "b1").sdp(Msgs.SDP_ANSWER).build(), true);      // the offer
        h.ack(c.fromCaller("ACK").cseq(1, "ACK").sdp(Msgs.SDP_OFFER).build(), UAC);        // the answer
        h.advance(REINVITE_EVERY);
        assertEquals(Msgs.SDP_OFFER, LegData.sdp(sender.toward("b1", "INVITE").request));
    }

    @Test
    void bothLegsAreReInvitePinged() {
        call("p25", PingMode.REINVITE, PingMode.REINVITE);
        for (int round = 0; round < 3; round++) {
            h.advance(REINVITE_EVERY);
            sender.sent.stream().filter(s -> !s.ended()).forEach(s -> s.answer(200));
        }
        assertEquals(3, sender.of("INVITE").stream().filter(s -> "a-p25".equals(s.request.getToTag())).count());
        assertEquals(3, sender.of("INVITE").stream().filter(s -> "b1".equals(s.request.getToTag())).count());
    }

    @Test
    void reInviteModeWithoutSdpPingsWithOptions() {
        Call c = h.call(Msgs.invite("p12").build(), DialogOptions.TRACK.withPings(PingMode.REINVITE, PingMode.NONE))
                .establish();
        h.advance(REINVITE_EVERY);
        assertEquals(1, sender.of("OPTIONS").size());
        assertTrue(sender.of("INVITE").isEmpty());
        assertEquals(0, c.dialog().caller().cseqShift());
    }

    @Test
    void reInvitePingSuccessIsAckedHere() {
        Call c = call("p13", PingMode.NONE, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        RecordingSender.Sent ping = sender.toward("b1", "INVITE");
        ping.answerOnly(200, "sip:bob@192.0.2.20:5070");
        assertEquals(1, sender.acks.size());
        SIPRequest ack = sender.acks.get(0).request();
        assertEquals("ACK", ack.getMethod());
        assertEquals(2, ack.getCSeq().getSeqNumber());
        assertEquals("ACK", ack.getCSeq().getMethod());
        assertEquals("b1", ack.getToTag());
        assertEquals("a-p13", ack.getFromTag());
        assertEquals("p13", ack.getCallId().getCallId());
        assertEquals("sip:bob@192.0.2.20:5070", ack.getRequestURI().toString(), "the 2xx refreshed the target");
        assertEquals("sip:bob@127.0.0.1:5070", c.dialog().callee().remoteTarget(),
                "the dialog keeps the target both UAs know (the caller is not told of a new one)");
        assertEquals(UAS, sender.acks.get(0).hop().flow().remote());
        assertEquals(0, c.dialog().openInvites);
        ping.answerOnly(200, "sip:bob@192.0.2.20:5070");
        assertEquals(2, sender.acks.size(), "a retransmitted 2xx is ACKed again");
        ping.end(EndReason.COMPLETED, true);
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertEquals(0, c.dialog().callee().ping.failures);
    }

    @Test
    void nonSuccessOfAReInvitePingIsNotAckedHere() {
        call("p14", PingMode.NONE, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        sender.toward("b1", "INVITE").answer(491);
        assertTrue(sender.acks.isEmpty(), "the transaction ACKs a non-2xx");
    }

    // ---- outcome ----

    @Test
    void callee481EndsAtOnceWithByesToBothLegs() {
        Call c = call("p15", PingMode.NONE, PingMode.OPTIONS);
        h.advance(OPTIONS_EVERY);
        sender.toward("b1", "OPTIONS").answer(481);
        Dialog d = c.dialog();
        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.CALLEE_PING_FAILED, d.endCause());
        assertEquals(2, sender.of("BYE").size());
        assertEquals("Reason: " + EndCause.CALLEE_PING_FAILED.reasonHeader(),
                sender.toward("a-p15", "BYE").request.getHeader("Reason").toString().trim());
        assertEquals(2, sender.toward("b1", "BYE").cseq());
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(0.0, h.counter("sipedge_dialogs_expired"));
        assertTrue(d.terminating());
    }

    @Test
    void caller481EndsWithTheCallersCause() {
        Call c = call(harness(5), "p16", PingMode.OPTIONS, PingMode.NONE);
        c.h.advance(OPTIONS_EVERY);
        sender.toward("a-p16", "OPTIONS").answer(481);
        assertEquals(EndCause.CALLER_PING_FAILED, c.dialog().endCause(), "a 481 does not wait for the limit");
        assertEquals(2, sender.of("BYE").size());
    }

    @Test
    void reInvitePing481EndsToo() {
        Call c = call("p17", PingMode.NONE, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        sender.toward("b1", "INVITE").answer(481);
        assertEquals(EndCause.CALLEE_PING_FAILED, c.dialog().endCause());
        assertEquals(3, sender.toward("b1", "BYE").cseq(), "above the ping's 2");
        assertEquals(0, c.dialog().openInvites);
    }

    @Test
    void timeoutsAnd408CountAgainstTheLimit() {
        Call c = call(harness(3), "p18", PingMode.NONE, PingMode.OPTIONS);
        c.h.advance(OPTIONS_EVERY);
        sender.last().timeout();
        c.h.advance(OPTIONS_EVERY);
        sender.last().answer(408);
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertEquals(2, c.dialog().callee().ping.failures);
        c.h.advance(OPTIONS_EVERY);
        sender.last().end(EndReason.TRANSPORT_ERROR, false);
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.CALLEE_PING_FAILED, c.dialog().endCause());
        assertEquals(2, sender.of("BYE").size());
    }

    @Test
    void oneTimeoutEndsWithTheDefaultLimit() {
        Call c = call("p19", PingMode.OPTIONS, PingMode.NONE);
        h.advance(OPTIONS_EVERY);
        sender.toward("a-p19", "OPTIONS").timeout();
        assertEquals(EndCause.CALLER_PING_FAILED, c.dialog().endCause());
    }

    @Test
    void senderThatCannotSendCountsAsAFailedPing() {
        sender.throwOn = r -> r.getMethod().equals("OPTIONS");
        Call c = call("p20", PingMode.NONE, PingMode.OPTIONS);
        h.advance(OPTIONS_EVERY);
        assertEquals(EndCause.CALLEE_PING_FAILED, c.dialog().endCause());
        assertFalse(c.dialog().callee().ping.pending);
    }

    @Test
    void answersOtherThan408And481ResetTheFailures() {
        Call c = call(harness(2), "p21", PingMode.NONE, PingMode.REINVITE);
        Duration every = REINVITE_EVERY;
        for (int status : new int[] {200, 500, 491, 488}) {
            c.h.advance(every);
            sender.last().timeout();
            assertEquals(1, c.dialog().callee().ping.failures);
            c.h.advance(every);
            sender.last().answer(status);
            assertEquals(0, c.dialog().callee().ping.failures, "reset by " + status);
            assertEquals(DialogState.CONFIRMED, c.dialog().state());
        }
        c.h.advance(every);
        sender.last().timeout();
        c.h.advance(every);
        sender.last().timeout();
        assertEquals(EndCause.CALLEE_PING_FAILED, c.dialog().endCause(), "two in a row");
    }

    @Test
    void transactionEndAfterTheFinalResponseIsNoFailure() {
        Call c = call("p22", PingMode.NONE, PingMode.OPTIONS);
        h.advance(OPTIONS_EVERY);
        RecordingSender.Sent ping = sender.last();
        ping.answer(200);       // 200, then onEnd(COMPLETED, true)
        assertEquals(0, c.dialog().callee().ping.failures);
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertFalse(c.dialog().callee().ping.pending);
    }

    @Test
    void provisionalAnswersChangeNothing() {
        Call c = call("p23", PingMode.NONE, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        RecordingSender.Sent ping = sender.last();
        ping.answerOnly(180, null);
        assertTrue(c.dialog().callee().ping.pending);
        assertTrue(sender.acks.isEmpty());
    }

    @Test
    void aRingingReInvitePingHoldsBackTheLegsNextRounds() {
        // issue 11: the re-INVITE interval only has to exceed 64*T1; a ping that rings up to
        // Timer C makes the leg skip rounds instead of overlapping them
        Call c = call("p24", PingMode.NONE, PingMode.REINVITE);
        h.advance(REINVITE_EVERY);
        RecordingSender.Sent ping = sender.last();
        ping.answerOnly(180, null);
        h.advance(REINVITE_EVERY.multipliedBy(3));
        assertEquals(1, sender.of("INVITE").size(), "no second re-INVITE while the first still rings");
        ping.answer(200, BOB_CONTACT);
        assertFalse(c.dialog().callee().ping.pending);
        h.advance(REINVITE_EVERY);
        assertEquals(2, sender.of("INVITE").size(), "the next round after the answer pings again");
    }
}

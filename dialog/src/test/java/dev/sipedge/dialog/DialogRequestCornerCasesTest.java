package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static dev.sipedge.dialog.DialogHarness.UAS2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cases a review of the module's own requests found: spirals, forks, moved UAs, ended dialogs, rejected offers. */
class DialogRequestCornerCasesTest {
    private static final Duration EVERY = Duration.ofSeconds(300);
    private static final String SDP_FORK = Msgs.SDP_ANSWER.replace("bob", "carol");

    private final RecordingSender sender = new RecordingSender();
    private final DialogHarness h = new DialogHarness();

    {
        h.tracker.useSender(sender);
    }

    private Call confirmed(String callId, PingMode caller, PingMode callee) {
        Call c = h.call(Msgs.invite(callId).sdp(Msgs.SDP_OFFER).build(), DialogOptions.TRACK.withPings(caller, callee))
                .forward(UAS);
        c.receive(UAS, c.answer(UAS, 200, "b1").sdp(Msgs.SDP_ANSWER).build(), true);
        c.ack("b1");
        return c;
    }

    private void pingAnswered() {
        h.advance(EVERY);
        RecordingSender.Sent ping = sender.last();
        assertEquals("INVITE", ping.request.getMethod());
        ping.answer(200, ping.request.getRequestURI().toString());
    }

    @Test
    void theSecondPassOfAShiftedAckIsNotShiftedAgain() {
        Call c = confirmed("k1", PingMode.NONE, PingMode.REINVITE);
        pingAnswered();
        DialogHarness.Seq invite = h.sequential(c.fromCaller("INVITE").cseq(2).build(), UAC);
        assertEquals(1, invite.matched().cseqShift());
        invite.respond(200);

        h.ack(c.fromCaller("ACK").cseq(2, "ACK").build(), UAC);
        assertEquals(1L, h.ackShifts.get(h.ackShifts.size() - 1), "first pass: 2 goes out as 3");
        // A spiral brings the same ACK back through us, already carrying 3.
        h.ack(c.fromCaller("ACK").cseq(3, "ACK").build(), UAC);
        assertEquals(0L, h.ackShifts.get(h.ackShifts.size() - 1), "second pass: 3 stays 3");
    }

    @Test
    void theCallersSdpComesFromTheForkThatIsChosen() {
        Call c = h.call(Msgs.invite("k2").sdp(Msgs.SDP_OFFER).build(),
                DialogOptions.TRACK.withPings(PingMode.REINVITE, PingMode.NONE)).forward(UAS, UAS2);
        c.receive(UAS, c.answer(UAS, 183, "b1").sdp(Msgs.SDP_ANSWER).build(), true);
        c.receive(UAS2, c.answer(UAS2, 183, "b2").sdp(SDP_FORK).build(), true);
        c.receive(UAS, c.answer(UAS, 200, "b1").build(), true);     // no SDP: the 183's answer stands

        assertEquals("b1", c.dialog().callee().tag());
        assertEquals(Msgs.SDP_ANSWER, c.dialog().caller().lastSdp());
    }

    @Test
    void aSecond2xxFromAnotherForkDoesNotReplaceTheCallersSdp() {
        Call c = h.call(Msgs.invite("k3").sdp(Msgs.SDP_OFFER).build(),
                DialogOptions.TRACK.withPings(PingMode.REINVITE, PingMode.NONE)).forward(UAS, UAS2);
        c.receive(UAS, c.answer(UAS, 200, "b1").sdp(Msgs.SDP_ANSWER).build(), true);
        c.receive(UAS2, c.answer(UAS2, 200, "b2").sdp(SDP_FORK).build(), true);

        assertEquals(Msgs.SDP_ANSWER, c.dialog().caller().lastSdp());
    }

    @Test
    void aLegIsReachedWhereItWasLastSeen() {
        Call c = confirmed("k4", PingMode.OPTIONS, PingMode.NONE);
        InetSocketAddress rebound = new InetSocketAddress("127.0.0.1", 5063);
        h.sequential(c.fromCaller("INFO").cseq(2).build(), rebound).respond(200);

        assertEquals(rebound, c.dialog().caller().flow().remote());
        h.advance(Duration.ofSeconds(40));
        assertEquals(rebound, sender.of("OPTIONS").get(0).hop.flow().remote(), "the ping follows the new binding");
    }

    @Test
    void requestsCrossingOurByesStillGetTheShift() {
        Call c = confirmed("k5", PingMode.NONE, PingMode.REINVITE);
        pingAnswered();
        assertTrue(c.dialog().terminate());
        assertTrue(c.dialog().terminating());

        DialogHarness.Seq bye = h.sequential(c.fromCaller("BYE").cseq(2).build(), UAC);
        assertEquals(1, bye.matched().cseqShift(), "the callee has seen CSeq 2 already (our ping)");
    }

    @Test
    void aRejectedOfferIsNotKeptForPingsAnAcceptedOneIs() {
        Call c = confirmed("k6", PingMode.NONE, PingMode.REINVITE);
        String reOffer = Msgs.SDP_OFFER.replace("4000", "4002");

        h.sequential(c.fromCaller("INVITE").cseq(2).sdp(reOffer).build(), UAC).respond(488);
        assertEquals(Msgs.SDP_OFFER, c.dialog().callee().lastSdp(), "the session did not change");

        h.sequential(c.fromCaller("INVITE").cseq(3).sdp(reOffer).build(), UAC).respond(200);
        assertEquals(reOffer, c.dialog().callee().lastSdp());
    }

    @Test
    void anOperatorEndFreesTheProfileSlotAtOnce() {
        DialogHarness p = new DialogHarness(DialogHarness.settings().withProfiles(java.util.List.of(), java.util.List.of("trunk")));
        p.tracker.useSender(sender);
        Call c = p.call(Msgs.invite("k7").build(), DialogOptions.TRACK.withProfiles(
                java.util.List.of(new ProfileRule("trunk", null, 1, 486)))).establish();
        assertEquals(1, p.module.profiles().get("trunk").size());

        assertTrue(c.dialog().terminate());

        assertEquals(0, p.module.profiles().get("trunk").size());
        assertTrue(c.dialog().terminating());
    }
}

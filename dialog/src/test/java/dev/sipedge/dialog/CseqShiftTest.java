package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gov.nist.javax.sip.header.RAck;
import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * After a re-INVITE ping, requests relayed toward the pinged leg are shifted by the CSeq numbers
 * the pings took ({@link Sequential.Matched#applyTo}, {@link DialogTracker#onAck}); an ACK or
 * PRACK keeps the shift of the INVITE it belongs to; the other direction is untouched.
 */
class CseqShiftTest {
    private static final Duration EVERY = Duration.ofSeconds(300);

    private final RecordingSender sender = new RecordingSender();
    private final DialogHarness h = new DialogHarness();

    {
        h.tracker.useSender(sender);
    }

    private Call call(String callId, PingMode caller, PingMode callee) {
        Call c = h.call(Msgs.invite(callId).sdp(Msgs.SDP_OFFER).build(), DialogOptions.TRACK.withPings(caller, callee))
                .forward(UAS);
        c.receive(UAS, c.answer(UAS, 200, "b1").sdp(Msgs.SDP_ANSWER).build(), true);
        c.ack("b1");
        return c;
    }

    /** The next re-INVITE ping goes out and is answered 200 (and ACKed by us). */
    private RecordingSender.Sent ping() {
        int before = sender.of("INVITE").size();
        h.advance(EVERY);
        assertEquals(before + 1, sender.of("INVITE").size(), "a re-INVITE ping went out");
        RecordingSender.Sent ping = sender.last();
        ping.answer(200, ping.request.getRequestURI().toString());
        return ping;
    }

    /** The copy the proxy relays, with the tracker's shift applied. */
    private static SIPRequest relayed(DialogHarness.Seq s) {
        SIPRequest copy = (SIPRequest) s.request().clone();
        s.matched().applyTo(copy);
        return copy;
    }

    private static SIPRequest withRack(SIPRequest r, String rack) {
        return DialogEnderTest.withHeader(r, "RAck: " + rack);
    }

    @Test
    void requestsTowardThePingedLegAreShifted() {
        Call c = call("s1", PingMode.NONE, PingMode.REINVITE);
        assertEquals(2, ping().cseq());
        Leg callee = c.dialog().callee();
        assertEquals(1, callee.cseqShift());

        DialogHarness.Seq info = h.sequential(c.fromCaller("INFO").cseq(2).build(), UAC);
        assertEquals(1, info.matched().cseqShift());
        assertEquals(0, info.matched().rackShift());
        assertEquals(3, relayed(info).getCSeq().getSeqNumber());
        assertEquals(2, info.request().getCSeq().getSeqNumber(), "the received request is not touched");
        assertEquals(3, callee.cseqTo());
        assertEquals(2, c.dialog().caller().cseqFrom());
        info.respond(200);

        DialogHarness.Seq invite = h.sequential(c.fromCaller("INVITE").cseq(3).build(), UAC);
        assertEquals(4, relayed(invite).getCSeq().getSeqNumber());
        DialogHarness.Seq prack = h.sequential(withRack(c.fromCaller("PRACK").cseq(4).build(), "1 3 INVITE"), UAC);
        SIPRequest prackOut = relayed(prack);
        assertEquals(5, prackOut.getCSeq().getSeqNumber());
        assertEquals(4, ((RAck) prackOut.getHeader(RAck.NAME)).getCSequenceNumber(), "RAck names the INVITE as relayed");
        assertEquals(1, ((RAck) prackOut.getHeader(RAck.NAME)).getRSequenceNumber());
        prack.respond(200);
        invite.respond(200);
        h.ack(c.fromCaller("ACK").cseq(3, "ACK").build(), UAC);
        assertEquals(1L, h.ackShifts.get(h.ackShifts.size() - 1), "the ACK goes out as 4 ACK");

        DialogHarness.Seq bye = h.sequential(c.fromCaller("BYE").cseq(5).build(), UAC);
        assertEquals(6, relayed(bye).getCSeq().getSeqNumber());
    }

    @Test
    void theOtherDirectionIsNotShifted() {
        Call c = call("s2", PingMode.NONE, PingMode.REINVITE);
        ping();
        DialogHarness.Seq info = h.sequential(c.fromCallee("INFO").cseq(101).build(), UAS);
        assertEquals(0, info.matched().cseqShift());
        assertEquals(101, relayed(info).getCSeq().getSeqNumber());
        assertEquals(0, c.dialog().caller().cseqShift());
        info.respond(200);
        DialogHarness.Seq invite = h.sequential(c.fromCallee("INVITE").cseq(102).build(), UAS);
        assertEquals(0, invite.matched().cseqShift());
        invite.respond(200);
        h.ack(c.fromCallee("ACK").cseq(102, "ACK").build(), UAS);
        assertEquals(0L, h.ackShifts.get(h.ackShifts.size() - 1));
    }

    @Test
    void pingsTowardTheCallerShiftTheCalleesRequests() {
        Call c = call("s3", PingMode.REINVITE, PingMode.NONE);
        assertEquals(1, ping().cseq());
        DialogHarness.Seq invite = h.sequential(c.fromCallee("INVITE").cseq(101).build(), UAS);
        assertEquals(1, invite.matched().cseqShift());
        assertEquals(102, relayed(invite).getCSeq().getSeqNumber());
        invite.respond(200);
        h.ack(c.fromCallee("ACK").cseq(101, "ACK").build(), UAS);
        assertEquals(1L, h.ackShifts.get(h.ackShifts.size() - 1));
        DialogHarness.Seq fromCaller = h.sequential(c.fromCaller("INFO").cseq(2).build(), UAC);
        assertEquals(0, fromCaller.matched().cseqShift());
    }

    @Test
    void eachPingAddsOne() {
        Call c = call("s4", PingMode.NONE, PingMode.REINVITE);
        assertEquals(2, ping().cseq());
        h.advance(DialogHarness.LINGER);
        assertEquals(3, ping().cseq());
        assertEquals(2, c.dialog().callee().cseqShift());
        DialogHarness.Seq info = h.sequential(c.fromCaller("INFO").cseq(2).build(), UAC);
        assertEquals(4, relayed(info).getCSeq().getSeqNumber());
    }

    @Test
    void optionsPingsShiftNothing() {
        Call c = call("s5", PingMode.OPTIONS, PingMode.OPTIONS);
        h.advance(Duration.ofSeconds(40));
        sender.sent.forEach(s -> s.answer(200));
        DialogHarness.Seq info = h.sequential(c.fromCaller("INFO").cseq(2).build(), UAC);
        assertEquals(0, info.matched().cseqShift());
        DialogHarness.Seq back = h.sequential(c.fromCallee("INFO").cseq(101).build(), UAS);
        assertEquals(0, back.matched().cseqShift());
    }

    @Test
    void ackOfAnInviteRelayedBeforeThePingKeepsThatInvitesShift() {
        Call c = call("s6", PingMode.NONE, PingMode.REINVITE);
        DialogHarness.Seq before = h.sequential(c.fromCaller("INVITE").cseq(2).build(), UAC);
        assertEquals(0, before.matched().cseqShift());
        before.respond(200);
        h.advance(DialogHarness.LINGER);      // its server transaction is over; the ACK is late
        assertEquals(3, ping().cseq());
        assertEquals(1, c.dialog().callee().cseqShift());
        h.ack(c.fromCaller("ACK").cseq(2, "ACK").build(), UAC);
        assertEquals(0L, h.ackShifts.get(h.ackShifts.size() - 1), "ACK 2 goes out as the INVITE did: 2");
        DialogHarness.Seq after = h.sequential(c.fromCaller("INVITE").cseq(3).build(), UAC);
        assertEquals(4, relayed(after).getCSeq().getSeqNumber());
        after.respond(200);
        h.ack(c.fromCaller("ACK").cseq(3, "ACK").build(), UAC);
        assertEquals(1L, h.ackShifts.get(h.ackShifts.size() - 1));
    }

    @Test
    void moduleByeAfterPingsIsAboveEverythingSent() {
        Call c = call("s7", PingMode.NONE, PingMode.REINVITE);
        ping();
        h.sequential(c.fromCaller("INFO").cseq(2).build(), UAC).respond(200);      // relayed as 3
        c.dialog().terminate();
        assertEquals(4, sender.toward("b1", "BYE").cseq());
        assertEquals(1, sender.toward("a-s7", "BYE").cseq(), "the caller's space is untouched");
    }

    @Test
    void anOutOfOrderRequestStaysOutOfOrderAndTheShiftDoesNotMove() {
        Call c = call("s8", PingMode.NONE, PingMode.REINVITE);
        h.sequential(c.fromCaller("INFO").cseq(10).build(), UAC).respond(200);
        assertEquals(11, ping().cseq());
        // The caller's CSeq 5 after 10 is out of order: the callee must still see it so (and answer 500).
        DialogHarness.Seq late = h.sequential(c.fromCaller("INFO").cseq(5).build(), UAC);
        assertEquals(6, relayed(late).getCSeq().getSeqNumber());
        assertEquals(1, c.dialog().callee().cseqShift());
        assertEquals(11, c.dialog().callee().cseqTo());
        DialogHarness.Seq next = h.sequential(c.fromCaller("INFO").cseq(11).build(), UAC);
        assertEquals(12, relayed(next).getCSeq().getSeqNumber(), "the next in-order request is above the ping");
    }

    @Test
    void applyToLeavesAnUnshiftedCopyAlone() {
        Call c = call("s9", PingMode.NONE, PingMode.NONE);
        DialogHarness.Seq info = h.sequential(c.fromCaller("INFO").cseq(2).build(), UAC);
        SIPRequest copy = relayed(info);
        assertEquals(2, copy.getCSeq().getSeqNumber());
        assertNull(copy.getHeader(RAck.NAME));
    }

    @Test
    void shiftBeyondWhatTheHeaderCanHoldIsRefused() throws Exception {
        SIPRequest r = Msgs.request("INFO").cseq(2).toTag("b1").build();
        r.getCSeq().setSeqNumber(2147483648L);
        assertThrows(IllegalArgumentException.class, () -> CseqShift.apply(r, 1, 0));
    }

    @Test
    void shiftPastTwoToTheThirtyFirstIsRefused() {
        SIPRequest r = Msgs.request("INFO").cseq(2147483647L).toTag("b1").build();
        assertThrows(IllegalArgumentException.class, () -> CseqShift.apply(r, 1, 0));
    }
}

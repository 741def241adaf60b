package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each leg records: URIs, contacts, flows, route sets, CSeqs, target refreshes and SDP. */
class LegDataTest {
    private static final String ALICE = "sip:alice@127.0.0.1:5061";
    private static final String BOB = "sip:bob@127.0.0.1:5070";

    private final DialogHarness h = new DialogHarness();

    /** INVITE through p2 then p1 (p2 nearest us); the callee side has p3 (nearest us) then p4. */
    private Call routedCall(String callId, DialogOptions options, String offer, String answer) {
        Call c = h.call(Msgs.invite(callId).recordRoute("sip:p2.example.com;lr", "sip:p1.example.com;lr").sdp(offer)
                .build(), options).forward(UAS);
        c.receive(UAS, c.answer(UAS, 200, "b1").recordRouteOnTop("sip:p4.example.com;lr", "sip:p3.example.com;lr")
                .sdp(answer).build(), true);
        c.ack("b1");
        return c;
    }

    @Test
    void legsRecordUrisContactsFlowsAndRouteSets() {
        Dialog d = routedCall("l1", DialogOptions.TRACK, null, null).dialog();
        Leg caller = d.caller();
        Leg callee = d.callee();
        assertEquals("sip:alice@example.com", caller.uri());
        assertEquals("sip:bob@example.com", callee.uri());
        assertEquals(ALICE, caller.remoteTarget());
        assertEquals(BOB, callee.remoteTarget());
        assertEquals(UAC, caller.flow().remote());
        assertEquals(UAS, callee.flow().remote());
        assertEquals(List.of("sip:p2.example.com;lr", "sip:p1.example.com;lr"), caller.routeSet(), "top-down");
        assertEquals(List.of("sip:p3.example.com;lr", "sip:p4.example.com;lr"), callee.routeSet(),
                "entries above ours, nearest first");
    }

    private static List<String> calleeRouteSetOf(String... recordRoutes) {
        StringBuilder m = new StringBuilder("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-rr\r\n");
        for (String rr : recordRoutes) {
            m.append("Record-Route: <").append(rr).append(">\r\n");
        }
        m.append("From: <sip:a@x>;tag=a\r\nTo: <sip:b@y>;tag=b\r\nCall-ID: rr\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        return LegData.calleeRouteSet((SIPMessage) Msgs.parse(m.toString()),
                DialogHarness.IDENTITY);
    }

    @Test
    void calleeRouteSetStartsAboveOurLowestEntriesSoSpiralsKeepTheProxiesBetweenOurPasses() {
        String us = "sip:127.0.0.1:5060;lr;did=n.2";
        assertEquals(List.of("sip:q1.example.com;lr"),
                calleeRouteSetOf("sip:q1.example.com;lr", us, "sip:c1.example.com;lr"));
        assertEquals(List.of("sip:q1.example.com;lr"),
                calleeRouteSetOf("sip:q1.example.com;lr", us, "sip:127.0.0.1:5060;transport=tcp;lr;did=n.2",
                        "sip:c1.example.com;lr"), "a double Record-Route is one position");
        assertEquals(List.of("sip:p2.example.com;lr", us, "sip:q1.example.com;lr"),
                calleeRouteSetOf("sip:q1.example.com;lr", us, "sip:p2.example.com;lr", us, "sip:c1.example.com;lr"),
                "spiral: P2 and our second pass lie between us and the callee");
        assertEquals(List.of(), calleeRouteSetOf(us, "sip:c1.example.com;lr"));
    }

    @Test
    void withoutOtherProxiesRouteSetsAreEmpty() {
        Call c = h.call("l2").establish();
        assertEquals(List.of(), c.dialog().caller().routeSet());
        assertEquals(List.of(), c.dialog().callee().routeSet());
    }

    @Test
    void cseqsFollowEachDirection() {
        Call c = h.call("l3").establish();
        Leg caller = c.dialog().caller();
        Leg callee = c.dialog().callee();
        assertEquals(1, caller.cseqFrom());
        assertEquals(1, callee.cseqTo());
        h.sequential(c.fromCaller("INFO").cseq(5).build(), UAC).respond(200);
        assertEquals(5, caller.cseqFrom());
        assertEquals(5, callee.cseqTo());
        h.sequential(c.fromCallee("INFO").cseq(300).build(), UAS).respond(200);
        assertEquals(300, callee.cseqFrom());
        assertEquals(300, caller.cseqTo());
        assertEquals(5, caller.cseqFrom());
    }

    @Test
    void successfulReInviteRefreshesBothRemoteTargets() {
        Call c = h.call("l4").establish();
        h.sequential(c.fromCaller("INVITE").contact("sip:alice@192.0.2.10").build(), UAC)
                .respond(200, "sip:bob@192.0.2.20", null);
        assertEquals("sip:alice@192.0.2.10", c.dialog().caller().remoteTarget());
        assertEquals("sip:bob@192.0.2.20", c.dialog().callee().remoteTarget());
    }

    @Test
    void successfulUpdateFromTheCalleeRefreshes() {
        Call c = h.call("l5").establish();
        h.sequential(c.fromCallee("UPDATE").contact("sip:bob@192.0.2.30").build(), UAS)
                .respond(200, "sip:alice@192.0.2.40", null);
        assertEquals("sip:bob@192.0.2.30", c.dialog().callee().remoteTarget());
        assertEquals("sip:alice@192.0.2.40", c.dialog().caller().remoteTarget());
    }

    @Test
    void failedReInviteAndNonRefreshingMethodsChangeNothing() {
        Call c = h.call("l6").establish();
        h.sequential(c.fromCaller("INVITE").contact("sip:alice@192.0.2.10").build(), UAC)
                .respond(488, "sip:bob@192.0.2.20", null);
        h.sequential(c.fromCaller("INFO").contact("sip:alice@192.0.2.11").build(), UAC)
                .respond(200, "sip:bob@192.0.2.21", null);
        assertEquals(ALICE, c.dialog().caller().remoteTarget());
        assertEquals(BOB, c.dialog().callee().remoteTarget());
    }

    @Test
    void lastSdpIsKeptOnlyForLegsPingedWithReInvite() {
        DialogOptions ping = new DialogOptions(true, null, PingMode.REINVITE, PingMode.REINVITE, List.of());
        Call c = routedCall("l7", ping, Msgs.SDP_OFFER, Msgs.SDP_ANSWER);
        Dialog d = c.dialog();
        assertEquals(Msgs.SDP_OFFER, d.callee().lastSdp(), "the callee received the offer");
        assertEquals(Msgs.SDP_ANSWER, d.caller().lastSdp(), "the caller received the answer");

        String reOffer = Msgs.SDP_ANSWER.replace("5000", "5002");
        String reAnswer = Msgs.SDP_OFFER.replace("4000", "4002");
        DialogHarness.Seq re = h.sequential(c.fromCallee("INVITE").contact(BOB).sdp(reOffer).build(), UAS);
        assertEquals(Msgs.SDP_ANSWER, d.caller().lastSdp(), "an offer counts once it is accepted");
        re.respond(200, ALICE, reAnswer);
        assertEquals(reOffer, d.caller().lastSdp());
        assertEquals(reAnswer, d.callee().lastSdp());
    }

    @Test
    void lastSdpOnlyOnTheSideAskedFor() {
        DialogOptions calleeOnly = new DialogOptions(true, null, PingMode.OPTIONS, PingMode.REINVITE, List.of());
        Dialog d = routedCall("l8", calleeOnly, Msgs.SDP_OFFER, Msgs.SDP_ANSWER).dialog();
        assertEquals(Msgs.SDP_OFFER, d.callee().lastSdp());
        assertNull(d.caller().lastSdp());
    }

    @Test
    void noSdpKeptWithoutReInvitePings() {
        Dialog d = routedCall("l9", DialogOptions.TRACK, Msgs.SDP_OFFER, Msgs.SDP_ANSWER).dialog();
        assertNull(d.caller().lastSdp());
        assertNull(d.callee().lastSdp());
    }
}

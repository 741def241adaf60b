package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.MaxForwardsHeader;
import org.junit.jupiter.api.Test;

/** The requests the module builds toward a leg, header by header (RFC 3261 §12.2.1.1), and where they go first. */
class InDialogRequestsTest {
    private static final String ALICE_CONTACT = "sip:alice@127.0.0.1:5061";
    private static final String BOB_CONTACT = "sip:bob@127.0.0.1:5070";
    private static final String REASON = EndCause.OPERATOR.reasonHeader();

    private final DialogHarness h = new DialogHarness();
    private final InDialogRequests requests = new InDialogRequests(List.of("X-Edge: node-1", "P-Note: ours"));

    /** A confirmed call; the INVITE carries {@code callerRr} (top first), the 2xx {@code calleeRr} above ours. */
    private Dialog call(String callId, String callerContact, List<String> callerRr, List<String> calleeRr) {
        Call c = h.call(Msgs.invite(callId).contact(callerContact).recordRoute(callerRr.toArray(String[]::new)).build(),
                DialogOptions.TRACK).forward(UAS);
        c.receive(UAS, c.answer(UAS, 200, "b1").recordRouteOnTop(calleeRr.toArray(String[]::new)).build(), true);
        c.ack("b1");
        return c.dialog();
    }

    private static List<String> routes(SIPRequest r) {
        List<String> out = new ArrayList<>();
        if (r.getRouteHeaders() != null) {
            for (Object o : r.getRouteHeaders()) {
                out.add(((Route) o).getAddress().getURI().toString());
            }
        }
        return out;
    }

    private static String header(SIPRequest r, String name) {
        return r.getHeader(name) == null ? null : r.getHeader(name).toString().trim();
    }

    @Test
    void byeTowardTheCalleeHeaderByHeader() {
        Dialog d = call("r1", ALICE_CONTACT, List.of(), List.of());
        SIPRequest bye = requests.build(d, d.callee(), d.caller(), InDialogRequests.Spec.bye(7, REASON));
        assertEquals("BYE", bye.getMethod());
        assertEquals(BOB_CONTACT, bye.getRequestURI().toString(), "the callee's Contact");
        assertEquals(List.of(), routes(bye));
        assertEquals("sip:alice@example.com", bye.getFrom().getAddress().getURI().toString());
        assertEquals("a-r1", bye.getFromTag());
        assertEquals("sip:bob@example.com", bye.getTo().getAddress().getURI().toString());
        assertEquals("b1", bye.getToTag());
        assertEquals("r1", bye.getCallId().getCallId());
        assertEquals(7, bye.getCSeq().getSeqNumber());
        assertEquals("BYE", bye.getCSeq().getMethod());
        assertEquals(70, ((MaxForwardsHeader) bye.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        assertEquals("Reason: " + REASON, header(bye, "Reason"));
        assertEquals("X-Edge: node-1", header(bye, "X-Edge"));
        assertEquals("P-Note: ours", header(bye, "P-Note"));
        assertNull(bye.getViaHeaders(), "the sender adds the Via");
        assertNull(bye.getContactHeaders());
        assertNull(bye.getHeader(ContentTypeHeader.NAME));
        assertEquals(0, bye.getContentLength().getContentLength());
    }

    @Test
    void byeTowardTheCallerSwapsFromAndTo() {
        Dialog d = call("r2", ALICE_CONTACT, List.of(), List.of());
        SIPRequest bye = requests.build(d, d.caller(), d.callee(), InDialogRequests.Spec.bye(1, null));
        assertEquals(ALICE_CONTACT, bye.getRequestURI().toString(), "the caller's Contact");
        assertEquals("sip:bob@example.com", bye.getFrom().getAddress().getURI().toString());
        assertEquals("b1", bye.getFromTag());
        assertEquals("sip:alice@example.com", bye.getTo().getAddress().getURI().toString());
        assertEquals("a-r2", bye.getToTag());
        assertEquals("r2", bye.getCallId().getCallId());
        assertEquals(1, bye.getCSeq().getSeqNumber());
        assertNull(bye.getHeader("Reason"), "no Reason when the cause has none");
    }

    @Test
    void routeSetsGoInSendOrder() {
        Dialog d = call("r3", ALICE_CONTACT, List.of("sip:p2.example.com;lr", "sip:p1.example.com;lr"),
                List.of("sip:p4.example.com;lr", "sip:p3.example.com;lr"));
        SIPRequest towardCaller = requests.build(d, d.caller(), d.callee(), InDialogRequests.Spec.bye(1, null));
        assertEquals(List.of("sip:p2.example.com;lr", "sip:p1.example.com;lr"), routes(towardCaller));
        assertEquals(ALICE_CONTACT, towardCaller.getRequestURI().toString(), "loose routers keep the target");
        SIPRequest towardCallee = requests.build(d, d.callee(), d.caller(), InDialogRequests.Spec.bye(2, null));
        assertEquals(List.of("sip:p3.example.com;lr", "sip:p4.example.com;lr"), routes(towardCallee));
        assertEquals(BOB_CONTACT, towardCallee.getRequestURI().toString());
    }

    @Test
    void strictRouterFirstTakesTheRequestUriAndTheTargetGoesLast() {
        Dialog d = call("r4", ALICE_CONTACT, List.of("sip:192.0.2.9:5080", "sip:p1.example.com;lr"), List.of());
        SIPRequest bye = requests.build(d, d.caller(), d.callee(), InDialogRequests.Spec.bye(1, null));
        assertEquals("sip:192.0.2.9:5080", bye.getRequestURI().toString());
        assertEquals(List.of("sip:p1.example.com;lr", ALICE_CONTACT), routes(bye));
        assertEquals(NextHop.of("sip:192.0.2.9:5080"), InDialogRequests.nextHop(d.caller()));
    }

    @Test
    void reInvitePingCarriesTheOtherLegsContactAndTheSdpUnchanged() {
        Dialog d = call("r5", ALICE_CONTACT, List.of(), List.of());
        SIPRequest ping = requests.build(d, d.callee(), d.caller(),
                InDialogRequests.Spec.reinvite(2, d.caller().remoteTarget(), Msgs.SDP_OFFER));
        assertEquals("INVITE", ping.getMethod());
        assertEquals("INVITE", ping.getCSeq().getMethod());
        assertEquals(2, ping.getCSeq().getSeqNumber());
        assertEquals(BOB_CONTACT, ping.getRequestURI().toString());
        assertEquals(ALICE_CONTACT, LegData.contact(ping));
        assertEquals(Msgs.SDP_OFFER, new String(ping.getRawContent(), StandardCharsets.UTF_8));
        assertEquals(Msgs.SDP_OFFER, LegData.sdp(ping), "Content-Type application/sdp");
        assertEquals(Msgs.SDP_OFFER.getBytes(StandardCharsets.UTF_8).length,
                ping.getContentLength().getContentLength());
        assertEquals("X-Edge: node-1", header(ping, "X-Edge"));
        assertNull(ping.getHeader("Reason"));
    }

    @Test
    void optionsPingHasNoBodyNoContact() {
        Dialog d = call("r6", ALICE_CONTACT, List.of(), List.of());
        SIPRequest ping = requests.build(d, d.caller(), d.callee(), InDialogRequests.Spec.options(0));
        assertEquals("OPTIONS", ping.getMethod());
        assertEquals(0, ping.getCSeq().getSeqNumber());
        assertEquals("OPTIONS", ping.getCSeq().getMethod());
        assertNull(ping.getContactHeaders());
        assertEquals(0, ping.getContentLength().getContentLength());
    }

    @Test
    void ackForAPingsSuccessKeepsItsCseqNumber() {
        Dialog d = call("r7", ALICE_CONTACT, List.of(), List.of("sip:p3.example.com;lr"));
        SIPRequest ack = requests.ack(d, d.callee(), d.caller(), 42, null);
        assertEquals("ACK", ack.getMethod());
        assertEquals(42, ack.getCSeq().getSeqNumber());
        assertEquals("ACK", ack.getCSeq().getMethod());
        assertEquals("b1", ack.getToTag());
        assertEquals("a-r7", ack.getFromTag());
        assertEquals(BOB_CONTACT, ack.getRequestURI().toString());
        assertEquals(List.of("sip:p3.example.com;lr"), routes(ack));
        assertEquals(70, ((MaxForwardsHeader) ack.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        assertEquals("X-Edge: node-1", header(ack, "X-Edge"));
    }

    @Test
    void ackGoesToTheContactOfThe2xxItAcknowledges() {
        Dialog d = call("r9", ALICE_CONTACT, List.of(), List.of());
        SIPRequest ack = requests.ack(d, d.callee(), d.caller(), 43, "sip:bob@192.0.2.30:5070");
        assertEquals("sip:bob@192.0.2.30:5070", ack.getRequestURI().toString());
        assertEquals(BOB_CONTACT, d.callee().remoteTarget(), "the dialog's target is not changed by it");
    }

    @Test
    void withoutRouteSetTheLegIsReachedOnItsFlowEvenBehindNat() {
        // The caller's Contact names a private address; its INVITE came from 127.0.0.1:5061.
        Dialog d = call("r8", "sip:alice@10.0.0.5:5060", List.of(), List.of());
        SIPRequest bye = requests.build(d, d.caller(), d.callee(), InDialogRequests.Spec.bye(1, null));
        assertEquals("sip:alice@10.0.0.5:5060", bye.getRequestURI().toString(), "Request-URI is the Contact");
        NextHop hop = InDialogRequests.nextHop(d.caller());
        assertNull(hop.uri());
        assertSame(d.caller().flow(), hop.flow());
        assertEquals(UAC, hop.flow().remote(), "sent where the caller was seen");
        assertEquals(DialogHarness.PROXY, hop.flow().local());
        NextHop calleeHop = InDialogRequests.nextHop(d.callee());
        assertEquals(UAS, calleeHop.flow().remote());
    }

    @Test
    void firstRouteNamingTheObservedAddressUsesTheFlow() {
        Dialog d = call("r9", ALICE_CONTACT, List.of("sip:127.0.0.1:5061;lr", "sip:p1.example.com;lr"),
                List.of("sip:127.0.0.1:5070;lr"));
        assertEquals(UAC, InDialogRequests.nextHop(d.caller()).flow().remote());
        assertEquals(UAS, InDialogRequests.nextHop(d.callee()).flow().remote());
    }

    @Test
    void otherwiseTheFirstRouteIsResolved() {
        Dialog d = call("r10", ALICE_CONTACT, List.of("sip:p1.example.com;lr", "sip:p2.example.com;lr"),
                List.of("sip:127.0.0.1:5099;lr"));
        assertEquals(NextHop.of("sip:p1.example.com;lr"), InDialogRequests.nextHop(d.caller()));
        assertEquals(NextHop.of("sip:127.0.0.1:5099;lr"), InDialogRequests.nextHop(d.callee()),
                "same host, other port: not the observed address");
    }

    @Test
    void legWithoutFlowGoesToItsTargetOrFirstRoute() {
        Leg noFlow = new Leg("t", "sip:carol@example.com", "sip:carol@192.0.2.1", null, List.of());
        assertEquals(NextHop.of("sip:carol@192.0.2.1"), InDialogRequests.nextHop(noFlow));
        Leg noTarget = new Leg("t", "sip:carol@example.com", null, null, List.of());
        assertEquals(NextHop.of("sip:carol@example.com"), InDialogRequests.nextHop(noTarget));
        Leg routed = new Leg("t", "sip:carol@example.com", "sip:carol@192.0.2.1", null, List.of("sip:p9.example.com;lr"));
        assertEquals(NextHop.of("sip:p9.example.com;lr"), InDialogRequests.nextHop(routed));
    }

    @Test
    void sameAddressComparesNumericHostAndDefaultPort() {
        InetSocketAddress at5060 = new InetSocketAddress("127.0.0.1", 5060);
        assertTrue(InDialogRequests.sameAddress("sip:127.0.0.1;lr", at5060), "port 5060 when absent");
        assertTrue(InDialogRequests.sameAddress("sip:127.0.0.1:5060;lr", at5060));
        assertFalse(InDialogRequests.sameAddress("sip:127.0.0.1:5061;lr", at5060));
        assertFalse(InDialogRequests.sameAddress("sip:localhost;lr", at5060), "names are not resolved");
        assertFalse(InDialogRequests.sameAddress("sip:127.0.0.2;lr", at5060));
        assertTrue(InDialogRequests.sameAddress("sips:127.0.0.1;lr", new InetSocketAddress("127.0.0.1", 5061)));
        assertTrue(InDialogRequests.sameAddress("sip:p1.example.com;maddr=127.0.0.1;lr", at5060), "maddr wins");
        assertTrue(InDialogRequests.sameAddress("sip:[::1]:5060;lr", new InetSocketAddress("::1", 5060)));
        assertFalse(InDialogRequests.sameAddress("tel:+15551234", at5060));
    }

    @Test
    void looseRouterIsAnLrSipUriOrAnyOtherScheme() {
        assertTrue(InDialogRequests.isLooseRouter("sip:p1.example.com;lr"));
        assertFalse(InDialogRequests.isLooseRouter("sip:p1.example.com"));
        assertTrue(InDialogRequests.isLooseRouter("tel:+15551234"));
    }

    @Test
    void nextHopIsAFlowOrAUri() {
        assertThrows(IllegalArgumentException.class, () -> new NextHop(null, null));
        assertThrows(IllegalArgumentException.class, () -> new NextHop(DialogHarness.flow(UAC), "sip:x"));
    }
}

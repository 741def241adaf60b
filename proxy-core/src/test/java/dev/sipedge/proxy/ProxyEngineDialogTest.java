package dev.sipedge.proxy;

import static dev.sipedge.proxy.ProxyHarness.FROM_UAC;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS;
import static dev.sipedge.proxy.ProxyHarness.UAC;
import static dev.sipedge.proxy.ProxyHarness.UAS;
import static dev.sipedge.proxy.ProxyHarness.answer;
import static dev.sipedge.proxy.ProxyHarness.invite;
import static dev.sipedge.proxy.ProxyHarness.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.dialog.MatchMode;
import dev.sipedge.dialog.ProfileRule;
import dev.sipedge.dialog.ValueTemplate;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine with the dialog module: creation, cookie, sequential requests, caps, cleanup. */
class ProxyEngineDialogTest {
    private ProxyHarness proxy;

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ProxyHarness start(DialogSettings settings, DialogOptions options) {
        if (proxy != null) {
            proxy.close();
        }
        proxy = new ProxyHarness(settings.withProfiles(List.of("caller"), List.of()), options, "sip:127.0.0.1:5070");
        return proxy;
    }

    private double gauge(String name) {
        return proxy.registry.get(name).gauge().value();
    }

    private double counter(String name) {
        return proxy.registry.get(name).counter().count();
    }

    /** INVITE, 180, 200 through the proxy; returns the did written into the Record-Route (null if none). */
    private String answeredCall(String callId) {
        proxy.receive(invite(callId), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        RecordRoute rr = (RecordRoute) out.getRecordRouteHeaders().getFirst();
        return ((SipUri) rr.getAddress().getURI()).getParameter("did");
    }

    /** An in-dialog request from the caller (or the callee when {@code upstream}) through our Route entry. */
    private static SIPRequest inDialog(String method, String callId, int cseq, String routeParams, boolean upstream) {
        String from = upstream ? "<sip:bob@127.0.0.1:5070>;tag=b1" : "<sip:alice@127.0.0.1:5061>;tag=a-" + callId;
        String to = upstream ? "<sip:alice@127.0.0.1:5061>;tag=a-" + callId : "<sip:bob@127.0.0.1:5070>;tag=b1";
        String target = upstream ? "sip:alice@127.0.0.1:5061" : "sip:bob@127.0.0.1:5070";
        return (SIPRequest) parse("""
                %1$s %2$s SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%7$s;branch=z9hG4bK-%1$s-%3$s-%4$d;rport
                Max-Forwards: 70
                Route: <sip:127.0.0.1:5060;lr%5$s>
                From: %6$s
                To: %8$s
                Call-ID: %3$s
                CSeq: %4$d %1$s
                Content-Length: 0

                """.formatted(method, target, callId, cseq, routeParams, from, upstream ? "5070" : "5061", to));
    }

    @Test
    void trackedInviteCarriesTheCookieAndTheCallIsCountedUntilBye() {
        start(DialogSettings.defaults(), DialogOptions.TRACK);
        String did = answeredCall("d1");

        assertNotNull(did, "our Record-Route carries ;did=");
        assertEquals(1.0, gauge("sipedge_dialogs_active"));
        assertEquals(1.0, counter("sipedge_dialogs_processed"));
        proxy.receive(inDialog("ACK", "d1", 1, ";did=" + did, false), FROM_UAC);
        assertEquals(List.of(did), proxy.dialogs.trackers().get(0).dialogs().stream().map(d -> d.id()).toList());
        assertEquals("CONFIRMED", proxy.dialogs.trackers().get(0).dialogs().get(0).state().name());

        proxy.receive(inDialog("BYE", "d1", 2, ";did=" + did, true), FROM_UAS);

        assertEquals("BYE", proxy.lastRequest(UAC, "BYE").getMethod(), "the callee's BYE reaches the caller");
        assertEquals(0.0, gauge("sipedge_dialogs_active"));
        assertEquals(0, proxy.dialogs.size());
    }

    @Test
    void anInviteThatComesBackThroughUsJoinsItsDialogAsASpiral() throws Exception {
        start(DialogSettings.defaults(), DialogOptions.TRACK);
        proxy.receive(invite("sp"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        // the next hop retargets it and sends it back to us, its Via above ours
        SIPRequest back = (SIPRequest) out.clone();
        back.setRequestURI(new SipUri());
        ((SipUri) back.getRequestURI()).setUser("carol");
        ((SipUri) back.getRequestURI()).setHost("127.0.0.1");
        Via hop = new Via();
        hop.setHost("127.0.0.1");
        hop.setPort(5070);
        hop.setTransport("UDP");
        hop.setBranch("z9hG4bK-next-hop-sp");
        back.addFirst(hop);

        proxy.receive(parse(back.encode().replace("\r\n", "\n")), FROM_UAS);

        assertEquals(2, proxy.sentTo(UAS).stream().filter(sent -> sent.isRequest("INVITE")).count(),
                "the spiral is relayed again");
        assertEquals(1.0, counter("sipedge_dialogs_processed"), "a spiral is not a second dialog");
        assertEquals(1, proxy.dialogs.size());
    }

    @Test
    void untrackedRouteAddsNoCookie() {
        proxy = new ProxyHarness(DialogSettings.defaults(), DialogOptions.NONE, "sip:127.0.0.1:5070");
        assertEquals(null, answeredCall("d2"));
        assertEquals(0, proxy.dialogs.size());
    }

    @Test
    void sipOnlyModeTracksWithoutCookie() {
        start(DialogSettings.defaults().withMatchMode(MatchMode.SIP_ONLY), DialogOptions.TRACK);
        assertEquals(null, answeredCall("d3"));
        assertEquals(1.0, gauge("sipedge_dialogs_active"));
        proxy.receive(inDialog("BYE", "d3", 2, "", false), FROM_UAC);
        assertEquals(0.0, gauge("sipedge_dialogs_active"));
    }

    @Test
    void byeWithoutCookieEndsTheDialogInFallbackModeOnly() {
        start(DialogSettings.defaults(), DialogOptions.TRACK);
        answeredCall("d4");
        proxy.receive(inDialog("BYE", "d4", 2, "", false), FROM_UAC);
        assertEquals(0.0, gauge("sipedge_dialogs_active"), "did-fallback: Call-ID and tags find it");

        start(DialogSettings.defaults().withMatchMode(MatchMode.DID_ONLY), DialogOptions.TRACK);
        answeredCall("d5");
        proxy.receive(inDialog("BYE", "d5", 2, "", false), FROM_UAC);
        assertEquals("BYE", proxy.lastRequest(UAS, "BYE").getMethod(), "still relayed along its Route set");
        assertEquals(1.0, gauge("sipedge_dialogs_active"), "did-only: no cookie, no dialog");
    }

    @Test
    void forgedByeWithTheRightCookieEndsNothing() {
        start(DialogSettings.defaults(), DialogOptions.TRACK);
        String did = answeredCall("d6");
        proxy.receive(inDialog("BYE", "other-call", 2, ";did=" + did, false), FROM_UAC);

        assertEquals(1.0, gauge("sipedge_dialogs_active"));
        assertEquals(1.0, counter("sipedge_dialogs_unmatched_requests"));
    }

    @Test
    void profileCapAnswersTheCallOverTheLimit() {
        DialogOptions capped = DialogOptions.TRACK.withProfiles(
                List.of(new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 1, 486)));
        start(DialogSettings.defaults(), capped);
        answeredCall("d7");
        int invitesBefore = (int) proxy.sentTo(UAS).stream().filter(s -> s.isRequest("INVITE")).count();

        proxy.receive(invite("d8"), FROM_UAC);

        assertEquals(invitesBefore, proxy.sentTo(UAS).stream().filter(s -> s.isRequest("INVITE")).count(),
                "the call over the limit is not relayed");
        assertTrue(proxy.statusesTo(UAC).contains(486), "answered 486 by the proxy: " + proxy.statusesTo(UAC));
        assertEquals(1, proxy.dialogs.profiles().get("caller").size("alice"));
    }

    @Test
    void validationRefusesAnOldCseq() {
        start(DialogSettings.defaults().withValidate(true), DialogOptions.TRACK);
        String did = answeredCall("d9");
        proxy.receive(inDialog("INFO", "d9", 1, ";did=" + did, false), FROM_UAC);
        assertTrue(proxy.statusesTo(UAC).contains(500), proxy.statusesTo(UAC).toString());
    }

    @Test
    void rejectedCancelledAndExpiredCallsLeaveNothingBehind() {
        start(DialogSettings.defaults(), DialogOptions.TRACK.withTimeout(Duration.ofSeconds(30)));
        proxy.receive(invite("r1"), FROM_UAC);
        proxy.receive(answer(proxy.lastRequest(UAS, "INVITE"), 486, "b1"), FROM_UAS);

        proxy.receive(invite("c1"), FROM_UAC);
        SIPRequest cancelled = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(cancelled, 180, "b1"), FROM_UAS);
        assertEquals(1.0, gauge("sipedge_dialogs_early"));
        proxy.receive(ProxyHarness.cancelOf(invite("c1")), FROM_UAC);
        proxy.receive(answer(cancelled, 487, "b1"), FROM_UAS);

        answeredCall("e1");
        proxy.advance(Duration.ofSeconds(31));

        assertEquals(2.0, counter("sipedge_dialogs_failed"));
        assertEquals(1.0, counter("sipedge_dialogs_expired"));
        assertEquals(0.0, gauge("sipedge_dialogs_early"));
        assertEquals(0.0, gauge("sipedge_dialogs_active"));
        assertEquals(0, proxy.dialogs.size());
        assertEquals(0, proxy.dialogs.profiles().get("caller").size());
    }

    @Test
    void bothEntriesOfADoubleRecordRouteCarryTheCookie() {
        proxy = new ProxyHarness(DialogSettings.defaults().withMatchMode(MatchMode.DID_ONLY), DialogOptions.TRACK,
                "sip:127.0.0.1:5070;transport=tcp");
        proxy.receive(invite("d10"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        List<String> dids = new ArrayList<>();
        for (Object h : out.getRecordRouteHeaders()) {
            dids.add(((SipUri) ((RecordRoute) h).getAddress().getURI()).getParameter("did"));
        }
        assertEquals(2, dids.size(), "UDP in, TCP out: two entries (RFC 5658)");
        assertNotNull(dids.get(0));
        assertEquals(dids.get(0), dids.get(1));
        proxy.receive(answer(out, 200, "b1"), new dev.sipedge.transaction.Flow(
                TransportKind.TCP, ProxyHarness.PROXY, UAS));
        assertEquals(1.0, gauge("sipedge_dialogs_active"));

        // The callee's BYE names both entries, the TCP one first; did-only mode must find the cookie.
        SIPRequest bye = (SIPRequest) parse(inDialog("BYE", "d10", 2, ";transport=tcp;did=" + dids.get(0), true)
                .encode().replace("\r\n", "\n")
                .replace(";did=" + dids.get(0) + ">", ";did=" + dids.get(0) + ">, <sip:127.0.0.1:5060;lr;did="
                        + dids.get(0) + ">"));
        assertEquals(2, bye.getRouteHeaders().size());
        proxy.receive(bye, new Flow(TransportKind.TCP,
                ProxyHarness.PROXY, UAS));

        assertEquals(0.0, gauge("sipedge_dialogs_active"));
    }
}

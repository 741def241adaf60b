package dev.sipedge.proxy;

import static dev.sipedge.proxy.ProxyHarness.FROM_UAC;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS;
import static dev.sipedge.proxy.ProxyHarness.UAC;
import static dev.sipedge.proxy.ProxyHarness.UAS;
import static dev.sipedge.proxy.ProxyHarness.answer;
import static dev.sipedge.proxy.ProxyHarness.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.dialog.Dialog;
import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogRequestSettings;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.dialog.EndCause;
import dev.sipedge.dialog.PingMode;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The requests the dialog module sends, through the real engine and transaction layer: BYE on
 * timeout to both legs, operator end (BYE when confirmed, CANCEL and 487 when early), pings, and
 * the CSeq shift of relayed requests and responses after a re-INVITE ping.
 */
class ProxyEngineDialogRequestsTest {
    private static final String SDP = "v=0\r\no=alice 1 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    private ProxyHarness proxy;

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private void start(DialogOptions options) {
        DialogSettings settings = DialogSettings.defaults().withRequests(DialogRequestSettings.defaults()
                .withPingIntervals(Duration.ofSeconds(40), Duration.ofSeconds(60)));
        proxy = new ProxyHarness(settings, options, "sip:127.0.0.1:5070");
    }

    private static SIPRequest inviteWithSdp(String callId, int cseq) {
        return (SIPRequest) parse(("""
                INVITE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-uac-%1$s;rport
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-%1$s
                To: <sip:bob@127.0.0.1:5070>
                Call-ID: %1$s
                CSeq: %2$d INVITE
                Contact: <sip:alice@127.0.0.1:5061>
                Content-Type: application/sdp
                Content-Length: %3$d

                """.formatted(callId, cseq, SDP.length())) + SDP.replace("\r\n", "\n"));
    }

    /** INVITE, 180, 200 (with the callee's Contact), ACK; returns the did. */
    private String confirmedCall(String callId, int cseq) {
        proxy.receive(inviteWithSdp(callId, cseq), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.receive(withContact(answer(out, 200, "b1"), "sip:bob@127.0.0.1:5070"), FROM_UAS);
        String did = ((SipUri) ((RecordRoute) out.getRecordRouteHeaders().getFirst()).getAddress().getURI())
                .getParameter("did");
        proxy.receive(inDialog("ACK", callId, cseq, did, false), FROM_UAC);
        return did;
    }

    private static SIPResponse withContact(SIPResponse r, String contact) {
        String text = r.encode().replace("\r\n", "\n").replaceFirst("\nContent-Length", "\nContact: <" + contact + ">\nContent-Length");
        return (SIPResponse) parse(text);
    }

    private static SIPRequest inDialog(String method, String callId, int cseq, String did, boolean fromCallee) {
        String from = fromCallee ? "<sip:bob@127.0.0.1:5070>;tag=b1" : "<sip:alice@127.0.0.1:5061>;tag=a-" + callId;
        String to = fromCallee ? "<sip:alice@127.0.0.1:5061>;tag=a-" + callId : "<sip:bob@127.0.0.1:5070>;tag=b1";
        String target = fromCallee ? "sip:alice@127.0.0.1:5061" : "sip:bob@127.0.0.1:5070";
        return (SIPRequest) parse("""
                %1$s %2$s SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:%7$s;branch=z9hG4bK-%1$s-%3$s-%4$d-%9$s;rport
                Max-Forwards: 70
                Route: <sip:127.0.0.1:5060;lr;did=%5$s>
                From: %6$s
                To: %8$s
                Call-ID: %3$s
                CSeq: %4$d %1$s
                Content-Length: 0

                """.formatted(method, target, callId, cseq, did, from, fromCallee ? "5070" : "5061", to,
                fromCallee ? "b" : "a"));
    }

    private Dialog only() {
        List<Dialog> all = proxy.dialogs.trackers().get(0).dialogs();
        assertEquals(1, all.size());
        return all.get(0);
    }

    private double gauge(String name) {
        return proxy.registry.get(name).gauge().value();
    }

    @Test
    void lifetimeEndSendsByeToBothLegsWithOurViaAndFreesTheDialogAfterBoth() {
        start(DialogOptions.TRACK.withTimeout(Duration.ofSeconds(10)).withByeOnTimeout(true));
        confirmedCall("t1", 1000);

        proxy.advance(Duration.ofSeconds(11));

        SIPRequest toCaller = proxy.lastRequest(UAC, "BYE");
        SIPRequest toCallee = proxy.lastRequest(UAS, "BYE");
        assertEquals("sip:alice@127.0.0.1:5061", toCaller.getRequestURI().toString());
        assertEquals("a-t1", toCaller.getToTag());
        assertEquals("b1", toCaller.getFromTag());
        assertEquals(1, toCaller.getCSeq().getSeqNumber(), "the callee never sent a request");
        assertEquals("sip:bob@127.0.0.1:5070", toCallee.getRequestURI().toString());
        assertEquals("b1", toCallee.getToTag());
        assertEquals("a-t1", toCallee.getFromTag());
        assertEquals(1001, toCallee.getCSeq().getSeqNumber(), "one above the caller's INVITE");
        for (SIPRequest bye : List.of(toCaller, toCallee)) {
            Via via = (Via) bye.getViaHeaders().getFirst();
            assertEquals(1, bye.getViaHeaders().size());
            assertEquals("127.0.0.1", via.getHost());
            assertEquals(5060, via.getPort());
            assertTrue(via.getBranch().startsWith("z9hG4bK"));
            assertEquals(70, bye.getMaxForwards().getMaxForwards());
            assertNotNull(bye.getHeader("Reason"));
        }
        assertEquals(0.0, gauge("sipedge_dialogs_active"));
        assertEquals(1.0, proxy.registry.get("sipedge_dialogs_expired").counter().count());
        assertEquals(2.0, proxy.registry.get("sipedge_dialog_requests_sent").tag("kind", "bye").counter().count());
        assertEquals(1.0, proxy.registry.get("sipedge_dialogs_ended").tag("cause", "expired").counter().count());
        Dialog d = only();
        assertTrue(d.terminating(), "kept while its BYEs run");
        assertEquals(EndCause.EXPIRED, d.endCause());

        proxy.receive(answer(toCaller, 200, null), FROM_UAC);
        assertEquals(1, proxy.dialogs.size(), "one BYE still open");
        proxy.receive(answer(toCallee, 200, null), FROM_UAS);
        assertEquals(0, proxy.dialogs.size(), "freed with the last final: Timer K keeps only the BYEs' keys");
    }

    /**
     * A CANCEL that reaches the proxy after the 200 it crossed finds the INVITE's transactions
     * settled, and still counts for RFC 5407: answered 200, and once the race timeout has run the
     * module BYEs both legs of the call the 200 set up.
     */
    @Test
    void aCancelThatArrivesAfterTheSettled200StillClearsTheRace() {
        proxy = new ProxyHarness(DialogSettings.defaults().withRequests(DialogRequestSettings.defaults()
                .withRaceCondition(true, Duration.ofSeconds(5))), DialogOptions.TRACK, "sip:127.0.0.1:5070");
        SIPRequest invite = inviteWithSdp("r1", 1);
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.receive(withContact(answer(out, 200, "b1"), "sip:bob@127.0.0.1:5070"), FROM_UAS);
        SIPRequest cancel = ProxyHarness.cancelOf(invite);
        assertEquals(null, proxy.layer.findInviteForCancel(cancel), "settled: no transaction left");

        proxy.receive(cancel, FROM_UAC);
        assertEquals(List.of(100, 180, 200, 200), proxy.statusesTo(UAC), "the CANCEL is answered 200");
        proxy.advance(Duration.ofSeconds(5));

        assertNotNull(proxy.lastRequest(UAC, "BYE"));
        assertNotNull(proxy.lastRequest(UAS, "BYE"));
        assertEquals(EndCause.RACE_CONDITION, only().endCause());
    }

    @Test
    void operatorEndOfAnEarlyDialogCancelsTheCalleeAndTheCallerGets487() {
        start(DialogOptions.TRACK);
        proxy.receive(inviteWithSdp("e1", 1), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);

        assertEquals(1, proxy.dialogs.end("e1").join());

        SIPRequest cancel = proxy.lastRequest(UAS, "CANCEL");
        assertEquals(out.getTopmostVia().getBranch(), cancel.getTopmostVia().getBranch());
        proxy.receive(answer(cancel, 200, null), FROM_UAS);
        proxy.receive(answer(out, 487, "b1"), FROM_UAS);
        assertEquals(487, (int) proxy.statusesTo(UAC).get(proxy.statusesTo(UAC).size() - 1));
        assertEquals(0.0, gauge("sipedge_dialogs_early"));
        assertEquals(1.0, proxy.registry.get("sipedge_dialogs_failed").counter().count());
        assertEquals(1.0, proxy.registry.get("sipedge_dialogs_ended").tag("cause", "operator").counter().count());
    }

    @Test
    void operatorEndOfAConfirmedDialogByesBothLegs() {
        start(DialogOptions.TRACK);
        confirmedCall("o1", 5);
        String id = only().id();

        assertEquals(1, proxy.dialogs.end(id).join());

        assertEquals("BYE", proxy.lastRequest(UAC, "BYE").getMethod());
        assertEquals(6, proxy.lastRequest(UAS, "BYE").getCSeq().getSeqNumber());
        assertEquals(EndCause.OPERATOR, only().endCause());
        assertEquals(0, proxy.dialogs.end(id).join(), "ended already");
    }

    @Test
    void optionsPing481EndsTheCallOnBothSides() {
        start(DialogOptions.TRACK.withPings(PingMode.NONE, PingMode.OPTIONS));
        confirmedCall("p1", 7);

        proxy.advance(Duration.ofSeconds(41));
        SIPRequest ping = proxy.lastRequest(UAS, "OPTIONS");
        assertEquals(6, ping.getCSeq().getSeqNumber(), "below the CSeq the callee has seen");
        assertEquals("b1", ping.getToTag());
        proxy.receive(answer(ping, 481, null), FROM_UAS);

        assertEquals("BYE", proxy.lastRequest(UAC, "BYE").getMethod());
        assertEquals(8, proxy.lastRequest(UAS, "BYE").getCSeq().getSeqNumber());
        assertEquals(EndCause.CALLEE_PING_FAILED, only().endCause());
        assertEquals(1.0, proxy.registry.get("sipedge_dialog_pings_failed").counter().count());
        assertEquals(1.0, proxy.registry.get("sipedge_dialog_requests_sent").tag("kind", "options_ping").counter().count());
        assertEquals(1.0, proxy.registry.get("sipedge_dialogs_ended").tag("cause", "callee_ping_failed").counter().count());
    }

    @Test
    void reinvitePingShiftsLaterRequestsTowardTheCalleeAndTheirResponsesBack() {
        start(DialogOptions.TRACK.withPings(PingMode.NONE, PingMode.REINVITE));
        String did = confirmedCall("r1", 1);

        proxy.advance(Duration.ofSeconds(61));
        SIPRequest ping = proxy.lastRequest(UAS, "INVITE");
        assertEquals(2, ping.getCSeq().getSeqNumber());
        assertEquals(SDP, new String(ping.getRawContent(), StandardCharsets.UTF_8), "the SDP the callee last received");
        assertEquals("sip:alice@127.0.0.1:5061", ((gov.nist.javax.sip.header.Contact) ping.getContactHeaders().getFirst())
                .getAddress().getURI().toString());
        proxy.receive(answer(ping, 200, null), FROM_UAS);
        SIPRequest ourAck = proxy.lastRequest(UAS, "ACK");
        assertEquals(2, ourAck.getCSeq().getSeqNumber());

        // The caller's own re-INVITE (CSeq 2) reaches the callee as 3; the 200 comes back as 2.
        proxy.receive(inDialog("INVITE", "r1", 2, did, false), FROM_UAC);
        SIPRequest relayed = proxy.lastRequest(UAS, "INVITE");
        assertEquals(3, relayed.getCSeq().getSeqNumber());
        proxy.receive(answer(relayed, 200, null), FROM_UAS);
        SIPResponse toCaller = (SIPResponse) proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1).message();
        assertEquals(200, toCaller.getStatusCode());
        assertEquals(2, toCaller.getCSeq().getSeqNumber());
        proxy.receive(inDialog("ACK", "r1", 2, did, false), FROM_UAC);
        assertEquals(3, proxy.lastRequest(UAS, "ACK").getCSeq().getSeqNumber(), "the 2xx ACK follows its INVITE");

        proxy.receive(inDialog("BYE", "r1", 3, did, false), FROM_UAC);
        SIPRequest bye = proxy.lastRequest(UAS, "BYE");
        assertEquals(4, bye.getCSeq().getSeqNumber());
        proxy.receive(answer(bye, 200, null), FROM_UAS);
        SIPResponse byeOk = (SIPResponse) proxy.sentTo(UAC).get(proxy.sentTo(UAC).size() - 1).message();
        assertEquals(3, byeOk.getCSeq().getSeqNumber());
        assertEquals("BYE", byeOk.getCSeq().getMethod());

        assertEquals(2, proxy.hook.shiftedCount(), "the shifted re-INVITE and BYE are remembered while they live");
        proxy.advance(Duration.ofSeconds(40));
        assertEquals(0, proxy.hook.shiftedCount(), "and forgotten when their transactions end");
    }

    /**
     * The callee's 200 to a shifted re-INVITE, retransmitted once the transactions are gone (here
     * after Timer M; after a restart it is the same): relayed as a stray by its Via, it must carry
     * the CSeq the caller sent, or the caller never matches it to its re-INVITE.
     */
    @Test
    void aStray2xxToAShiftedReinviteGoesBackWithTheCallersCseq() throws Exception {
        start(DialogOptions.TRACK.withPings(PingMode.NONE, PingMode.REINVITE));
        String did = confirmedCall("s1", 1);
        proxy.advance(Duration.ofSeconds(61));
        proxy.receive(answer(proxy.lastRequest(UAS, "INVITE"), 200, null), FROM_UAS);
        proxy.receive(inDialog("INVITE", "s1", 2, did, false), FROM_UAC);
        SIPRequest relayed = proxy.lastRequest(UAS, "INVITE");
        assertEquals(3, relayed.getCSeq().getSeqNumber());
        proxy.receive(answer(relayed, 200, null), FROM_UAS);
        proxy.advance(Duration.ofSeconds(40));
        assertEquals(0, proxy.layer.activeTransactions(), "the re-INVITE's transactions are gone");

        int before = proxy.sentTo(UAC).size();
        proxy.receive(answer(relayed, 200, null), FROM_UAS);
        assertEquals(before + 1, proxy.sentTo(UAC).size(), "relayed as a stray");
        SIPResponse stray = (SIPResponse) proxy.sentTo(UAC).get(before).message();
        assertEquals(200, stray.getStatusCode());
        assertEquals(2, stray.getCSeq().getSeqNumber(), "the caller's CSeq");
        assertEquals("INVITE", stray.getCSeq().getMethod());

        SIPRequest other = (SIPRequest) relayed.clone();
        other.getCSeq().setSeqNumber(7);
        proxy.receive(answer(other, 200, null), FROM_UAS);
        SIPResponse unrelated = (SIPResponse) proxy.sentTo(UAC).get(before + 1).message();
        assertEquals(7, unrelated.getCSeq().getSeqNumber(), "a 2xx to no INVITE the proxy shifted passes as it is");
    }

    @Test
    void requestsTowardTheCallerAreNotShiftedByCalleePings() {
        start(DialogOptions.TRACK.withPings(PingMode.NONE, PingMode.REINVITE));
        String did = confirmedCall("r2", 1);
        proxy.advance(Duration.ofSeconds(61));
        proxy.receive(answer(proxy.lastRequest(UAS, "INVITE"), 200, null), FROM_UAS);

        proxy.receive(inDialog("INFO", "r2", 9, did, true), FROM_UAS);

        assertEquals(9, proxy.lastRequest(UAC, "INFO").getCSeq().getSeqNumber());
        assertFalse(proxy.sentTo(UAC).stream().anyMatch(s -> s.isRequest("INVITE")), "no ping toward the caller");
    }

    @Test
    void aReinvitePingStillRingingAtTimerCIsCancelledAndItsLate2xxAcked() {
        start(DialogOptions.TRACK.withPings(PingMode.NONE, PingMode.REINVITE));
        confirmedCall("c1", 1);
        proxy.advance(Duration.ofSeconds(61));
        SIPRequest ping = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(ping, 180, null), FROM_UAS);

        proxy.advance(ProxyHarness.TIMERS.timerC().plusSeconds(1));

        SIPRequest cancel = proxy.lastRequest(UAS, "CANCEL");
        assertEquals(ping.getTopmostVia().getBranch(), cancel.getTopmostVia().getBranch());
        assertEquals(ping.getCSeq().getSeqNumber(), cancel.getCSeq().getSeqNumber());
        proxy.receive(answer(cancel, 200, null), FROM_UAS);
        proxy.receive(answer(ping, 200, null), FROM_UAS);      // the 2xx crossed our CANCEL
        assertEquals(ping.getCSeq().getSeqNumber(), proxy.lastRequest(UAS, "ACK").getCSeq().getSeqNumber());
        assertEquals(1.0, gauge("sipedge_dialogs_active"), "an answer is an answer: the call stays up");
    }
}

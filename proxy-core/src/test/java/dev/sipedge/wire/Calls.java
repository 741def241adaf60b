package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The basic call scenario, written once for every transport: INVITE, 100 from the proxy, 180 and
 * 200 from the UAS, ACK and BYE loose-routed through the proxy's Record-Route (RFC 3261 §16,
 * §12.2.1.1). Used by the basic test and, after the corpora, to show the proxy still serves.
 */
final class Calls {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\n";

    private Calls() {
    }

    static void basicCall(WireProxy proxy, UacStub uac) {
        WireTransport t = proxy.transport;
        String callId = Messages.unique("call");
        String branch = "z9hG4bK" + Messages.unique("inv");
        String from = "From: <sip:alice@127.0.0.1>;tag=a1";
        uac.send(Messages.message("INVITE sip:bob@example.com SIP/2.0", List.of(
                Messages.via(t, uac, branch), "Max-Forwards: 70", from, "To: <sip:bob@example.com>",
                "Call-ID: " + callId, "CSeq: 1 INVITE",
                "Contact: <sip:alice@127.0.0.1:" + uac.local().getPort() + t.uriParam() + ">",
                "Content-Type: application/sdp"), SDP));

        RawSip trying = nextResponse(uac, callId);
        assertEquals(100, trying.status(), trying::toString);
        assertEquals(List.of(branch), branches(trying), "100 carries only the UAC's Via");

        UasStub.Received invite = nextRequest(proxy.uas, "INVITE", callId);
        List<String> vias = invite.message().values("via");
        assertEquals(2, vias.size(), invite.message()::toString);
        assertTrue(vias.get(0).startsWith("SIP/2.0/" + t.token() + " " + proxy.hostPort()),
                "proxy's Via on top: " + vias.get(0));
        assertTrue(RawSip.branchOf(vias.get(0)).startsWith("z9hG4bK"), "RFC 3261 magic cookie");
        assertEquals(branch, RawSip.branchOf(vias.get(1)));
        assertTrue(vias.get(1).contains("rport=" + uac.local().getPort()), "rport filled in (RFC 3581): " + vias.get(1));
        List<String> recordRoute = invite.message().values("record-route");
        assertEquals(1, recordRoute.size(), invite.message()::toString);
        assertTrue(recordRoute.get(0).contains("sip:" + proxy.hostPort()) && recordRoute.get(0).contains(";lr"),
                "loose-routing Record-Route of the proxy: " + recordRoute.get(0));
        assertEquals("69", invite.message().header("max-forwards"));
        assertEquals(SDP, new String(invite.message().body(), StandardCharsets.UTF_8));

        String uasContact = "Contact: <sip:bob@127.0.0.1:" + proxy.uas.port() + t.uriParam() + ">";
        List<String> dialogHeaders = List.of("Record-Route: " + String.join(", ", recordRoute), uasContact);
        invite.reply(Messages.response(invite.message(), 180, "Ringing", "b1", dialogHeaders));
        invite.reply(Messages.response(invite.message(), 200, "OK", "b1", dialogHeaders));

        RawSip ringing = nextResponse(uac, callId);
        assertEquals(180, ringing.status(), ringing::toString);
        assertEquals(List.of(branch), branches(ringing), "proxy's Via removed from 180");
        RawSip ok = nextResponse(uac, callId);
        assertEquals(200, ok.status(), ok::toString);
        assertEquals(List.of(branch), branches(ok), "proxy's Via removed from 200");
        assertEquals(recordRoute, ok.values("record-route"), "Record-Route reaches the UAC");
        String toWithTag = ok.header("to");
        assertTrue(toWithTag.contains("tag=b1"));

        // §12.2.1.1: Request-URI = remote target, Route = the record-route set (reversed: one entry)
        String remoteTarget = "sip:bob@127.0.0.1:" + proxy.uas.port() + t.uriParam();
        List<String> inDialog = List.of("Max-Forwards: 70", from, "To: " + toWithTag, "Call-ID: " + callId,
                "Route: " + recordRoute.get(0));
        uac.send(Messages.message("ACK " + remoteTarget + " SIP/2.0",
                with(inDialog, Messages.via(t, uac, "z9hG4bK" + Messages.unique("ack")), "CSeq: 1 ACK"), ""));
        UasStub.Received ack = nextRequest(proxy.uas, "ACK", callId);
        assertTrue(ack.message().topVia().startsWith("SIP/2.0/" + t.token() + " " + proxy.hostPort()),
                "ACK relayed by the proxy: " + ack.message());
        assertTrue(ack.message().values("route").isEmpty(), "the proxy's own Route is removed (§16.4)");

        String byeBranch = "z9hG4bK" + Messages.unique("bye");
        uac.send(Messages.message("BYE " + remoteTarget + " SIP/2.0",
                with(inDialog, Messages.via(t, uac, byeBranch), "CSeq: 2 BYE"), ""));
        UasStub.Received bye = nextRequest(proxy.uas, "BYE", callId);
        assertEquals(2, bye.message().values("via").size());
        assertTrue(bye.message().values("route").isEmpty(), "the proxy's own Route is removed (§16.4)");
        assertTrue(bye.message().values("record-route").isEmpty(), "no Record-Route on an in-dialog BYE");
        bye.reply(Messages.response(bye.message(), 200, "OK", null, List.of()));
        RawSip byeOk = nextResponse(uac, callId);
        assertEquals(200, byeOk.status(), byeOk::toString);
        assertEquals("2 BYE", byeOk.header("cseq"));
        assertEquals(List.of(byeBranch), branches(byeOk));
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    static List<String> branches(RawSip message) {
        List<String> branches = new ArrayList<>();
        for (String via : message.values("via")) {
            branches.add(RawSip.branchOf(via));
        }
        return branches;
    }

    /** The next response with this Call-ID (others, e.g. late retransmissions of old calls, are skipped). */
    static RawSip nextResponse(UacStub uac, String callId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            RawSip m = left > 0 ? uac.receive(Duration.ofNanos(left)) : null;
            assertNotNull(m, "no response for Call-ID " + callId + " within " + WAIT);
            if (m.isResponse() && callId.equals(m.callId())) {
                return m;
            }
        }
    }

    /** The next request of {@code method} with this Call-ID at the UAS; fails on any other request of the call. */
    static UasStub.Received nextRequest(UasStub uas, String method, String callId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            UasStub.Received r = left > 0 ? uas.next(Duration.ofNanos(left)) : null;
            assertNotNull(r, "UAS got no " + method + " for Call-ID " + callId + " within " + WAIT);
            if (callId.equals(r.message().callId()) && !r.message().isResponse()) {
                assertEquals(method, r.message().method(), r.message()::toString);
                return r;
            }
            assertFalse(r.message().isResponse() && callId.equals(r.message().callId()),
                    "unexpected response at the UAS: " + r.message());
        }
    }
}

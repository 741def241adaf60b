package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Informative measurement, not a benchmark and not asserted: the heap a whole proxied call
 * (INVITE and BYE, each a server and a client transaction) leaves behind over UDP while its
 * transactions linger: the INVITE's two settled after the 2xx, as the proxy does, the server's key
 * kept in the layer's store for Timer L; the BYE's server transaction as its final's bytes in
 * that store for Timer J, its client transaction's key in the layer's second store for Timer K.
 * Messages are parsed from text as the transport would; the transport keeps a final as its
 * bytes, as over UDP; the TU keeps nothing.
 *
 * <p>Run with {@code mvn -o -pl transaction test -Dtest=LingerHeapTest -Dsipedge.heap=true}; it
 * prints {@code retained bytes per call} measured as used heap after {@code System.gc()}.
 */
@EnabledIfSystemProperty(named = "sipedge.heap", matches = "true")
class LingerHeapTest {
    private static final int CALLS = 10_000;
    private static final Flow UPSTREAM = new Flow(TransportKind.UDP,
            new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("192.0.2.1", 5060));
    private static final Flow DOWNSTREAM = new Flow(TransportKind.UDP,
            new InetSocketAddress("127.0.0.1", 5060), new InetSocketAddress("192.0.2.2", 5060));
    private static final String SDP = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
            + "m=audio 40000 RTP/AVP 0 8 101\na=rtpmap:0 PCMU/8000\na=rtpmap:8 PCMA/8000\n"
            + "a=rtpmap:101 telephone-event/8000\na=sendrecv\n";
    private static final ClientTransaction.Listener IGNORE = new ClientTransaction.Listener() {
        @Override
        public void onResponse(ClientTransaction tx, SIPResponse response) {
        }

        @Override
        public void onTerminated(ClientTransaction tx, EndReason reason) {
        }
    };

    /** Sends nothing; keeps a final as a UDP transport does, as its bytes, so the layer's store holds it. */
    private static final class BytesKeepingTransport implements Transport {
        @Override
        public void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        }

        @Override
        public Kept sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
            return new KeptDatagram(message.encode().getBytes(StandardCharsets.UTF_8), flow.local(), flow.remote());
        }
    }

    private final ManualTimer timer = new ManualTimer();
    private ServerTransaction lastServer;
    private final TransactionLayer layer = new TransactionLayer(TransactionSettings.DEFAULTS, timer, timer::nanoTime, Runnable::run,
            new BytesKeepingTransport(), new TransactionUser() {
                @Override
                public void onRequest(ServerTransaction tx, SIPRequest request) {
                    lastServer = tx;
                }

                @Override
                public void onAckWithoutTransaction(SIPRequest ack, Flow flow) {
                }

                @Override
                public void onStrayResponse(SIPResponse response, Flow flow) {
                }
            });

    @Test
    void retainedHeapPerLingeringCall() {
        long before = usedAfterGc();
        for (int i = 0; i < CALLS; i++) {
            call(i);
        }
        assertEquals(3 * CALLS, layer.activeTransactions(), "all but the INVITE's client transaction linger");
        long lingering = usedAfterGc();
        timer.advance(TransactionSettings.DEFAULTS.sixtyFourT1().plus(Duration.ofSeconds(1)));
        assertEquals(0, layer.activeTransactions());
        long after = usedAfterGc();
        System.out.printf("LingerHeapTest: %d calls, 3 lingering transactions each: retained %d bytes per call"
                + " (%d bytes per call left after all terminated)%n",
                CALLS, (lingering - before) / CALLS, (after - before) / CALLS);
    }

    /** One call through a proxy: INVITE 180 200 (settled both sides), then BYE 200 (Completed both sides). */
    private void call(int i) {
        layer.receive(parse(invite(i, false)), UPSTREAM);
        ServerTransaction inviteServer = lastServer;
        inviteServer.respond((SIPResponse) parse(response(i, "INVITE", 100, "Trying", false, false)));
        ClientTransaction inviteClient = layer.sendRequest((SIPRequest) parse(invite(i, true)), DOWNSTREAM, IGNORE);
        SIPResponse ringing = (SIPResponse) parse(response(i, "INVITE", 180, "Ringing", true, false));
        layer.receive(ringing, DOWNSTREAM);
        inviteServer.respond(ringing); // forwarded in place, as the proxy does (Via popping aside)
        SIPResponse ok = (SIPResponse) parse(response(i, "INVITE", 200, "OK", true, true));
        layer.receive(ok, DOWNSTREAM);
        inviteServer.respond(ok);
        inviteServer.settle();
        inviteClient.settle();

        layer.receive(parse(bye(i, false)), UPSTREAM);
        ServerTransaction byeServer = lastServer;
        layer.sendRequest((SIPRequest) parse(bye(i, true)), DOWNSTREAM, IGNORE);
        SIPResponse byeOk = (SIPResponse) parse(response(i, "BYE", 200, "OK", true, false));
        layer.receive(byeOk, DOWNSTREAM);
        byeServer.respond(byeOk);
        lastServer = null;
    }

    private static String invite(int i, boolean forwarded) {
        String sdp = SDP;
        return "INVITE sip:bob@192.0.2.2:5060 SIP/2.0\n"
                + (forwarded ? "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-p" + i + "\n" : "")
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-a" + i + ";rport\n"
                + "Max-Forwards: " + (forwarded ? 69 : 70) + "\n"
                + (forwarded ? "Record-Route: <sip:127.0.0.1:5060;lr>\n" : "")
                + "From: \"Alice\" <sip:alice@example.com>;tag=a" + i + "\n"
                + "To: <sip:bob@example.com>\n"
                + "Call-ID: " + i + "-call@192.0.2.1\n"
                + "CSeq: 1 INVITE\n"
                + "Contact: <sip:alice@192.0.2.1:5060>\n"
                + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE\n"
                + "Supported: timer, replaces\n"
                + "User-Agent: loadgen\n"
                + "Content-Type: application/sdp\n"
                + "Content-Length: " + sdp.replace("\n", "\r\n").length() + "\n\n" + sdp;
    }

    private static String bye(int i, boolean forwarded) {
        return "BYE sip:bob@192.0.2.2:5060 SIP/2.0\n"
                + (forwarded ? "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-pb" + i + "\n" : "")
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-b" + i + ";rport\n"
                + "Max-Forwards: " + (forwarded ? 69 : 70) + "\n"
                + (forwarded ? "" : "Route: <sip:127.0.0.1:5060;lr>\n")
                + "From: \"Alice\" <sip:alice@example.com>;tag=a" + i + "\n"
                + "To: <sip:bob@example.com>;tag=b" + i + "\n"
                + "Call-ID: " + i + "-call@192.0.2.1\n"
                + "CSeq: 2 BYE\n"
                + "User-Agent: loadgen\n"
                + "Content-Length: 0\n\n";
    }

    private static String response(int i, String method, int status, String reason, boolean fromUas, boolean sdp) {
        String body = sdp ? SDP.replace("192.0.2.1", "192.0.2.2") : "";
        String branch = method.equals("BYE") ? "b" : "a";
        return "SIP/2.0 " + status + " " + reason + "\n"
                + (fromUas ? "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-p" + (method.equals("BYE") ? "b" : "") + i + "\n" : "")
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-" + branch + i + ";rport=5060;received=192.0.2.1\n"
                + (fromUas && method.equals("INVITE") ? "Record-Route: <sip:127.0.0.1:5060;lr>\n" : "")
                + "From: \"Alice\" <sip:alice@example.com>;tag=a" + i + "\n"
                + "To: <sip:bob@example.com>" + (status > 100 ? ";tag=b" + i : "") + "\n"
                + "Call-ID: " + i + "-call@192.0.2.1\n"
                + "CSeq: " + (method.equals("BYE") ? "2 BYE" : "1 INVITE") + "\n"
                + (fromUas && method.equals("INVITE") ? "Contact: <sip:bob@192.0.2.2:5060>\n" : "")
                + (sdp ? "Content-Type: application/sdp\n" : "")
                + "Content-Length: " + body.replace("\n", "\r\n").length() + "\n\n" + body;
    }

    private static SIPMessage parse(String text) {
        return Sip.parse(text);
    }

    /** Used heap after a few full collections; bounded, no sleeping. */
    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}

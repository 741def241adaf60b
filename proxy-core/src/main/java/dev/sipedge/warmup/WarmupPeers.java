package dev.sipedge.warmup;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.Transport;
import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayDeque;

/**
 * The network and the two user agents of the warm-up: what the proxy sends is encoded and
 * queued ({@link Transport}); {@link #drain} hands each message to the UAC or UAS it was sent to,
 * which answer as SIPp's basic scenario does (180, 200 with Record-Route, ACK and BYE along the
 * route set), through the real inbound pipeline.
 */
final class WarmupPeers implements Transport {
    static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 5060);
    static final InetSocketAddress UAC = new InetSocketAddress("127.0.0.1", 5061);
    static final InetSocketAddress UAS = new InetSocketAddress("127.0.0.1", 5070);

    private static final String SDP = "v=0\r\no=warmup 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private record Sent(byte[] bytes, InetSocketAddress to) {
    }

    private final ArrayDeque<Sent> wire = new ArrayDeque<>();
    private final StringMsgParser parser = new StringMsgParser();
    private LoopbackPipeline pipeline;
    private int completed;

    void attach(LoopbackPipeline proxyInbound) {
        this.pipeline = proxyInbound;
    }

    /** Calls whose BYE was answered 200 at the UAC. */
    int completed() {
        return completed;
    }

    @Override
    public void send(SIPMessage message, Flow flow, FailureListener onFailure) {
        wire.add(new Sent(LoopbackPipeline.encode(message), flow.remote()));
    }

    void startCall(int n) {
        String body = SDP;
        String invite = "INVITE sip:warmup@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-warmup-" + n + "\r\n"
                + "From: warmup <sip:warmup@127.0.0.1:5061>;tag=uac" + n + "\r\n"
                + "To: <sip:warmup@127.0.0.1:5070>\r\n"
                + "Call-ID: warmup-" + n + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:warmup@127.0.0.1:5061>\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        pipeline.receive(invite.getBytes(StandardCharsets.UTF_8), UAC, PROXY);
    }

    /** Delivers everything in flight, including what the answers cause, until the wire is quiet. */
    void drain() throws ParseException {
        Sent s;
        while ((s = wire.poll()) != null) {
            SIPMessage message = parser.parseSIPMessage(s.bytes(), true, false, null);
            if (s.to().equals(UAS)) {
                atUas(message);
            } else if (s.to().equals(UAC)) {
                atUac(message);
            }
        }
    }

    private void atUas(SIPMessage message) throws ParseException {
        if (!(message instanceof SIPRequest request)) {
            return;
        }
        switch (request.getMethod()) {
            case "INVITE" -> {
                fromUas(answer(request, 180));
                SIPResponse ok = answer(request, 200);
                ok.setMessageContent("application", "sdp", SDP.getBytes(StandardCharsets.UTF_8));
                fromUas(ok);
            }
            case "BYE" -> fromUas(answer(request, 200));
            default -> { }   // the ACK for the 2xx ends here
        }
    }

    private SIPResponse answer(SIPRequest request, int status) throws ParseException {
        SIPResponse response = request.createResponse(status);
        if (response.getToTag() == null) {
            response.getTo().setTag("uas-" + request.getCallId().getCallId().hashCode());
        }
        RecordRouteList rr = request.getRecordRouteHeaders();
        if (rr != null && status > 100) {
            response.setHeader((RecordRouteList) rr.clone());   // RFC 3261 §12.1.1
        }
        response.setHeader(parser.parseSIPHeader("Contact: <sip:warmup@127.0.0.1:5070>"));
        return response;
    }

    private void fromUas(SIPResponse response) {
        pipeline.receive(LoopbackPipeline.encode(response), UAS, PROXY);
    }

    private void atUac(SIPMessage message) {
        if (!(message instanceof SIPResponse response) || response.getStatusCode() != 200) {
            return;
        }
        String method = response.getCSeq().getMethod();
        if (method.equals("BYE")) {
            completed++;
            return;
        }
        if (!method.equals("INVITE") || response.getRecordRouteHeaders() == null) {
            return;
        }
        String route = ((gov.nist.javax.sip.header.SIPHeader) response.getRecordRouteHeaders().getFirst()).getHeaderValue().trim();
        String callId = response.getCallId().getCallId();
        String dialog = "From: warmup <sip:warmup@127.0.0.1:5061>;tag=" + response.getFromTag() + "\r\n"
                + "To: <sip:warmup@127.0.0.1:5070>;tag=" + response.getToTag() + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "Route: " + route + "\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n";
        pipeline.receive(("ACK sip:warmup@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-ack-" + callId.hashCode() + "\r\n"
                + "CSeq: 1 ACK\r\n" + dialog + "\r\n").getBytes(StandardCharsets.UTF_8), UAC, PROXY);
        pipeline.receive(("BYE sip:warmup@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bye-" + callId.hashCode() + "\r\n"
                + "CSeq: 2 BYE\r\n" + dialog + "\r\n").getBytes(StandardCharsets.UTF_8), UAC, PROXY);
    }
}

package dev.sipedge.warmup;

import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * The two user agents of the warm-up: the UAC starts calls, and each answers what the proxy sends
 * it as SIPp's basic scenario does (180, 200 with Record-Route, ACK and BYE along the route set).
 * What they send goes to the proxy's inbound side, whichever the warm-up phase gives them: the
 * in-memory pipeline or a real socket.
 */
final class WarmupPeers {
    /** The proxy's inbound side as the peers reach it. */
    interface ProxyInbound {
        void receive(byte[] datagram, InetSocketAddress from);
    }

    private static final String SDP = "v=0\r\no=warmup 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private final StringMsgParser parser = new StringMsgParser();
    private final InetSocketAddress uac;
    private final InetSocketAddress uas;
    private final String uacHostPort;
    private final String uasHostPort;
    private final ProxyInbound proxy;
    private int completed;

    WarmupPeers(InetSocketAddress uac, InetSocketAddress uas, ProxyInbound proxy) {
        this.uac = uac;
        this.uas = uas;
        this.uacHostPort = uac.getAddress().getHostAddress() + ":" + uac.getPort();
        this.uasHostPort = uas.getAddress().getHostAddress() + ":" + uas.getPort();
        this.proxy = proxy;
    }

    /** Calls whose BYE was answered 200 at the UAC. */
    int completed() {
        return completed;
    }

    /** A message the proxy sent to {@code to}, reaching the UAC or the UAS. */
    void deliver(byte[] datagram, InetSocketAddress to) throws ParseException {
        SIPMessage message = parser.parseSIPMessage(datagram, true, false, null);
        if (to.equals(uas)) {
            atUas(message);
        } else if (to.equals(uac)) {
            atUac(message);
        }
    }

    void startCall(int n) {
        String body = SDP;
        String invite = "INVITE sip:warmup@" + uasHostPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + uacHostPort + ";rport;branch=z9hG4bK-warmup-" + n + "\r\n"
                + "From: warmup <sip:warmup@" + uacHostPort + ">;tag=uac" + n + "\r\n"
                + "To: <sip:warmup@" + uasHostPort + ">\r\n"
                + "Call-ID: warmup-" + n + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:warmup@" + uacHostPort + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        proxy.receive(invite.getBytes(StandardCharsets.UTF_8), uac);
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
        response.setHeader(parser.parseSIPHeader("Contact: <sip:warmup@" + uasHostPort + ">"));
        return response;
    }

    private void fromUas(SIPResponse response) {
        proxy.receive(LoopbackPipeline.encode(response), uas);
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
        String route = ((SIPHeader) response.getRecordRouteHeaders().getFirst()).getHeaderValue().trim();
        String callId = response.getCallId().getCallId();
        String dialog = "From: warmup <sip:warmup@" + uacHostPort + ">;tag=" + response.getFromTag() + "\r\n"
                + "To: <sip:warmup@" + uasHostPort + ">;tag=" + response.getToTag() + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "Route: " + route + "\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n";
        proxy.receive(("ACK sip:warmup@" + uasHostPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + uacHostPort + ";rport;branch=z9hG4bK-ack-" + callId.hashCode() + "\r\n"
                + "CSeq: 1 ACK\r\n" + dialog + "\r\n").getBytes(StandardCharsets.UTF_8), uac);
        proxy.receive(("BYE sip:warmup@" + uasHostPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + uacHostPort + ";rport;branch=z9hG4bK-bye-" + callId.hashCode() + "\r\n"
                + "CSeq: 2 BYE\r\n" + dialog + "\r\n").getBytes(StandardCharsets.UTF_8), uac);
    }
}

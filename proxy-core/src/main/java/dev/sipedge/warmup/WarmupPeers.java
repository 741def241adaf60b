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
import java.util.HashSet;
import java.util.Set;
import javax.sip.header.UserAgentHeader;

/**
 * The two user agents of the warm-up: the UAC starts calls, and each answers what the proxy sends
 * it as SIPp's basic scenario does (180, 200 with Record-Route, ACK and BYE along the route set).
 * What they send goes to the proxy's inbound side, whichever the warm-up phase gives them: the
 * in-memory pipeline or a real socket.
 *
 * <p>Every other call is dressed as a desk phone or SIPp dresses its calls: display names, no
 * {@code rport} in the Via, a {@code transport} parameter in the Contacts (so ACK and BYE are
 * resolved through it), and headers the proxy only passes on (Subject, User-Agent, Allow,
 * Supported; the last three through JAIN-SIP's own lexers). With bare calls alone the JIT
 * compiled those branches as never taken, and the first real calls deoptimised the parser, the
 * response routing and the target resolver as the load began (docs/performance.md).
 */
final class WarmupPeers {
    /** The proxy's inbound side as the peers reach it. */
    interface ProxyInbound {
        void receive(byte[] datagram, InetSocketAddress from);
    }

    private static final String DRESSING = "Subject: warm-up\r\nUser-Agent: sipedge-warmup\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nSupported: timer, replaces\r\n";
    private static final String SDP = "v=0\r\no=warmup 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private final StringMsgParser parser = new StringMsgParser();
    private final InetSocketAddress uac;
    private final InetSocketAddress uas;
    private final String uacHostPort;
    private final String uasHostPort;
    private final ProxyInbound proxy;
    /** Calls whose BYE is sent and not yet answered. */
    private final Set<String> byeSent = new HashSet<>();
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
        boolean dressed = n % 2 == 1;
        String body = SDP;
        String invite = "INVITE sip:warmup@" + uasHostPort + " SIP/2.0\r\n"
                + via("warmup-" + n, dressed)
                + "From: warmup <sip:warmup@" + uacHostPort + ">;tag=uac" + n + "\r\n"
                + "To: " + to(dressed) + "\r\n"
                + "Call-ID: warmup-" + n + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: " + contact(uacHostPort, dressed) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + (dressed ? DRESSING : "")
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        proxy.receive(invite.getBytes(StandardCharsets.UTF_8), uac);
    }

    /** The UAC's Via line; a dressed call's asks for no rport. */
    private String via(String branch, boolean dressed) {
        return "Via: SIP/2.0/UDP " + uacHostPort + (dressed ? "" : ";rport") + ";branch=z9hG4bK-" + branch + "\r\n";
    }

    private String to(boolean dressed) {
        return (dressed ? "\"Warm Up\" " : "") + "<sip:warmup@" + uasHostPort + ">";
    }

    private static String contact(String hostPort, boolean dressed) {
        return "<" + uri(hostPort, dressed) + ">";
    }

    /** A peer's Contact URI; a dressed call's names its transport. */
    private static String uri(String hostPort, boolean dressed) {
        return "sip:warmup@" + hostPort + (dressed ? ";transport=udp" : "");
    }

    /** Whether {@code request} belongs to a dressed call: only their requests name a User-Agent. */
    private static boolean dressed(SIPMessage request) {
        return request.getHeader(UserAgentHeader.NAME) != null;
    }

    private void atUas(SIPMessage message) throws ParseException {
        if (!(message instanceof SIPRequest request)) {
            return;
        }
        switch (request.getMethod()) {
            case "INVITE" -> {
                fromUas(answer(request, 180), dressed(request));
                SIPResponse ok = answer(request, 200);
                ok.setMessageContent("application", "sdp", SDP.getBytes(StandardCharsets.UTF_8));
                fromUas(ok, dressed(request));
            }
            case "BYE" -> fromUas(answer(request, 200), dressed(request));
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
        response.setHeader(parser.parseSIPHeader("Contact: " + contact(uasHostPort, dressed(request))));
        return response;
    }

    private void fromUas(SIPResponse response, boolean dressed) {
        byte[] encoded = LoopbackPipeline.encode(response);
        proxy.receive(dressed ? viasOnOneLine(encoded) : encoded, uas);
    }

    /**
     * The response with its Via values on one line, separated by a comma and a space, as SIPp and
     * some user agents copy them (JAIN-SIP's encoder writes a bare comma): the proxy then removes
     * its Via from within a line, past a separator of either kind.
     */
    static byte[] viasOnOneLine(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        StringBuilder head = new StringBuilder(text.length());
        StringBuilder vias = new StringBuilder();
        int viaAt = -1;
        for (String line : text.substring(0, end).split("\r\n", -1)) {
            if (line.regionMatches(true, 0, "Via:", 0, 4)) {
                viaAt = viaAt < 0 ? head.length() : viaAt;
                vias.append(vias.length() == 0 ? "" : ", ")
                        .append(line.substring(4).trim().replace(",SIP/2.0/", ", SIP/2.0/"));
            } else {
                head.append(line).append("\r\n");
            }
        }
        if (viaAt >= 0) {
            head.insert(viaAt, "Via: " + vias + "\r\n");
        }
        return head.append(text, end + 2, text.length()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private void atUac(SIPMessage message) {
        if (!(message instanceof SIPResponse response) || response.getStatusCode() != 200) {
            return;
        }
        String method = response.getCSeq().getMethod();
        if (method.equals("BYE")) {
            // a retransmitted BYE is answered again: each call counts once
            if (byeSent.remove(response.getCallId().getCallId())) {
                completed++;
            }
            return;
        }
        if (!method.equals("INVITE") || response.getRecordRouteHeaders() == null) {
            return;
        }
        String route = ((SIPHeader) response.getRecordRouteHeaders().getFirst()).getHeaderValue().trim();
        String callId = response.getCallId().getCallId();
        boolean dressed = response.getTo().getAddress().getDisplayName() != null;
        String dialog = "From: warmup <sip:warmup@" + uacHostPort + ">;tag=" + response.getFromTag() + "\r\n"
                + "To: " + to(dressed) + ";tag=" + response.getToTag() + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "Route: " + route + "\r\n"
                + (dressed ? "Contact: " + contact(uacHostPort, true) + "\r\nUser-Agent: sipedge-warmup\r\n" : "")
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n";
        String target = uri(uasHostPort, dressed);   // the UAS's Contact is the remote target (RFC 3261 §12.1.2)
        proxy.receive(("ACK " + target + " SIP/2.0\r\n" + via("ack-" + callId.hashCode(), dressed)
                + "CSeq: 1 ACK\r\n" + dialog + "\r\n").getBytes(StandardCharsets.UTF_8), uac);
        if (byeSent.add(callId)) {   // a retransmitted 200 is ACKed again, the call ended once
            proxy.receive(("BYE " + target + " SIP/2.0\r\n" + via("bye-" + callId.hashCode(), dressed)
                    + "CSeq: 2 BYE\r\n" + dialog + "\r\n").getBytes(StandardCharsets.UTF_8), uac);
        }
    }
}

package dev.sipedge.dialog;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

/**
 * Builds the requests the module sends toward one leg of a dialog (RFC 3261 §12.2.1.1): the
 * Request-URI is the leg's remote target, the Route header its route set, To the leg, From the
 * other leg, the dialog's Call-ID; Max-Forwards 70 and the configured extra headers. The sender
 * adds the Via. The message is written as text and parsed, so it is exactly what a peer would
 * parse from us.
 */
final class InDialogRequests {
    static final int MAX_FORWARDS = 70;
    private static final AddressFactoryImpl ADDRESSES = new AddressFactoryImpl();

    private final List<String> extraHeaders;

    InDialogRequests(List<String> extraHeaders) {
        this.extraHeaders = extraHeaders;
    }

    /** What varies between the requests: method, CSeq, and the optional parts. */
    record Spec(String method, long cseq, String reason, String contact, String sdp, List<String> headers) {
        static Spec bye(long cseq, String reason) {
            return bye(cseq, reason, List.of());
        }

        /** A BYE with {@code headers} (an operator's) after the configured extra headers. */
        static Spec bye(long cseq, String reason, List<String> headers) {
            return new Spec("BYE", cseq, reason, null, null, headers);
        }

        static Spec options(long cseq) {
            return new Spec("OPTIONS", cseq, null, null, null, List.of());
        }

        static Spec reinvite(long cseq, String contact, String sdp) {
            return new Spec("INVITE", cseq, null, contact, sdp, List.of());
        }
    }

    /** A request from {@code from}'s side toward {@code to}, in {@code dialog}. */
    SIPRequest build(Dialog dialog, Leg to, Leg from, Spec spec) {
        return parse(text(dialog.callId(), to, null, from, spec));
    }

    /**
     * The ACK for a 2xx to a re-INVITE we sent: same CSeq number (RFC 3261 §13.2.2.4), to the
     * 2xx's Contact ({@code target}; null: the leg's remote target).
     */
    SIPRequest ack(Dialog dialog, Leg to, Leg from, long cseq, String target) {
        return parse(text(dialog.callId(), to, target, from, new Spec("ACK", cseq, null, null, null, List.of())));
    }

    private String text(String callId, Leg to, String targetOverride, Leg from, Spec spec) {
        List<String> routes = to.routeSet();
        String toTag = to.tag();
        String target = targetOverride != null ? targetOverride : to.hasRemoteTarget() ? to.remoteTarget() : to.uri();
        String requestUri = target;
        StringBuilder route = new StringBuilder();
        if (!routes.isEmpty() && !isLooseRouter(routes.get(0))) {
            // §12.2.1.1: a strict router first takes the Request-URI; the remote target goes last in Route.
            requestUri = stripHeaders(routes.get(0));
            for (int i = 1; i < routes.size(); i++) {
                route.append("Route: <").append(routes.get(i)).append(">\r\n");
            }
            route.append("Route: <").append(target).append(">\r\n");
        } else {
            for (String r : routes) {
                route.append("Route: <").append(r).append(">\r\n");
            }
        }
        StringBuilder m = new StringBuilder(512);
        m.append(spec.method()).append(' ').append(requestUri).append(" SIP/2.0\r\n");
        m.append(route);
        m.append("Max-Forwards: ").append(MAX_FORWARDS).append("\r\n");
        m.append("From: <").append(from.uri()).append(">;tag=").append(from.tag()).append("\r\n");
        m.append("To: <").append(to.uri()).append(">;tag=").append(toTag).append("\r\n");
        m.append("Call-ID: ").append(callId).append("\r\n");
        m.append("CSeq: ").append(spec.cseq()).append(' ').append(spec.method()).append("\r\n");
        if (spec.contact() != null) {
            m.append("Contact: <").append(spec.contact()).append(">\r\n");
        }
        if (spec.reason() != null) {
            m.append("Reason: ").append(spec.reason()).append("\r\n");
        }
        for (String h : extraHeaders) {
            m.append(h).append("\r\n");
        }
        for (String h : spec.headers()) {
            m.append(h).append("\r\n");
        }
        byte[] body = spec.sdp() == null ? new byte[0] : spec.sdp().getBytes(StandardCharsets.UTF_8);
        if (body.length > 0) {
            m.append("Content-Type: application/sdp\r\n");
        }
        m.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        if (body.length > 0) {
            m.append(spec.sdp());
        }
        return m.toString();
    }

    private static SIPRequest parse(String text) {
        try {
            return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                    null);
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build in-dialog request: " + e.getMessage(), e);
        }
    }

    /**
     * Where the request goes first: the flow the leg was seen on when the leg is reached directly
     * (no route set: behind NAT or not, its observed address is where it is) or when the first
     * Route names that flow's address; otherwise the first Route, or the remote target, resolved.
     */
    static NextHop nextHop(Leg leg) {
        List<String> routes = leg.routeSet();
        if (leg.flow() != null && (routes.isEmpty() || sameAddress(routes.get(0), leg.flow().remote()))) {
            return NextHop.of(leg.flow());
        }
        if (!routes.isEmpty()) {
            return NextHop.of(routes.get(0));
        }
        return NextHop.of(leg.hasRemoteTarget() ? leg.remoteTarget() : leg.uri());
    }

    static boolean isLooseRouter(String uri) {
        URI parsed = parseUri(uri);
        return !(parsed instanceof SipURI sip) || sip.hasLrParam();
    }

    /** True when {@code uri} names exactly {@code address} (numeric host; port 5060 when absent). */
    static boolean sameAddress(String uri, InetSocketAddress address) {
        if (!(parseUri(uri) instanceof SipURI sip)) {
            return false;
        }
        String host = sip.getMAddrParam() != null ? sip.getMAddrParam() : sip.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        InetAddress ip = address.getAddress();
        int port = sip.getPort() > 0 ? sip.getPort() : (sip.isSecure() ? 5061 : 5060);
        return bytes != null && ip != null && Arrays.equals(bytes, ip.getAddress()) && port == address.getPort();
    }

    private static URI parseUri(String uri) {
        try {
            return ADDRESSES.createURI(uri);
        } catch (ParseException e) {
            return null;
        }
    }

    private static String stripHeaders(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}

package dev.sipedge.transport;

import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a response goes when it cannot simply follow the request's connection (RFC 3261 §18.2.2,
 * RFC 3581 §4), computed from the top Via only:
 *
 * <table>
 *   <caption>Destination</caption>
 *   <tr><th>transport</th><th>host</th><th>port</th></tr>
 *   <tr><td>UDP</td><td>{@code received}, else sent-by host</td><td>{@code rport} value, else sent-by
 *       port, else 5060</td></tr>
 *   <tr><td>TCP</td><td>{@code received}, else sent-by host</td><td>sent-by port, else 5060</td></tr>
 * </table>
 *
 * <p>Over TCP the transport first tries the connection the request arrived on; this class is the
 * fallback. A host that is a name gives an unresolved address: the transport never resolves on
 * an event loop and fails the send instead (§18.2.2's §5 procedures of RFC 3263 are the proxy's).
 */
final class ResponseAddress {

    static final int DEFAULT_PORT = 5060;

    private ResponseAddress() {
    }

    /** The destination for {@code response} by its top Via; null when it has none, or one without a host. */
    static InetSocketAddress of(SIPResponse response, TransportKind transport) {
        return response.getTopmostVia() == null ? null : of(response.getTopmostVia(), transport);
    }

    /** The destination for a response whose top Via is {@code via}; null when the Via has no host. */
    static InetSocketAddress of(Via via, TransportKind transport) {
        String received = via.getReceived();
        String host = received != null && !received.isEmpty() ? received : via.getHost();
        if (host == null || host.isEmpty()) {
            return null;
        }
        int port = -1;
        if (transport == TransportKind.UDP) {
            port = rport(via);
        }
        if (port <= 0) {
            port = via.getPort() > 0 ? via.getPort() : DEFAULT_PORT;
        }
        return address(host, port);
    }

    /** The rport value, or -1 when absent, empty or not a port. */
    private static int rport(Via via) {
        String value = via.getParameter(Via.RPORT);
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            int port = Integer.parseInt(value.trim());
            return port > 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;   // a garbled rport is ignored like an absent one
        }
    }

    /** An IP literal becomes a resolved address without a lookup; a name stays unresolved. */
    static InetSocketAddress address(String host, int port) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return InetSocketAddress.createUnresolved(literal, port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("IP literal did not convert: " + literal, e);
        }
    }
}

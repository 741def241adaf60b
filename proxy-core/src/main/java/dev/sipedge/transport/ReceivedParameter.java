package dev.sipedge.transport;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.Arrays;

/**
 * Records where a request really came from in its top Via, as a server transport must on receipt:
 * <ul>
 *   <li>RFC 3261 §18.2.1: add {@code received=<source IP>} when the sent-by host is a name or an
 *       IP address other than the packet's source;</li>
 *   <li>RFC 3581 §4: when {@code rport} is present without a value, set it to the source port and
 *       add {@code received} even if the address matches.</li>
 * </ul>
 */
final class ReceivedParameter {

    private ReceivedParameter() {
    }

    /** Stamps the top Via of {@code request}; does nothing when there is no Via. */
    static void addTo(SIPRequest request, InetSocketAddress source) {
        if (request.getTopmostVia() != null) {
            addTo(request.getTopmostVia(), source);
        }
    }

    /** Stamps {@code via}, the top Via of a request received from {@code source}. */
    static void addTo(Via via, InetSocketAddress source) {
        if (source.isUnresolved()) {
            return;
        }
        boolean fillRport = via.hasParameter(Via.RPORT) && isEmpty(via.getParameter(Via.RPORT));
        try {
            if (fillRport) {
                via.setParameter(Via.RPORT, Integer.toString(source.getPort()));
            }
            if (fillRport || !sameAddress(via.getHost(), source)) {
                // printed only when needed: most requests name their source and get no received=
                via.setReceived(NetUtil.toAddressString(source.getAddress()));
            }
        } catch (ParseException e) {
            // cannot happen for a port number or an address printed by NetUtil
            throw new IllegalStateException("JAIN-SIP refused rport/received " + source, e);
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /** True when {@code host} is an IP literal equal to the source address (no DNS: names never match). */
    private static boolean sameAddress(String host, InetSocketAddress source) {
        if (host == null) {
            return false;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        return bytes != null && Arrays.equals(bytes, source.getAddress().getAddress());
    }
}

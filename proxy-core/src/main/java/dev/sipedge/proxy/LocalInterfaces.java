package dev.sipedge.proxy;

import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.recordroute.LocalInterface;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.header.Via;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Our SIP sockets as the rest of the network sees them: the bound address of every listener,
 * and the host:port we write into Via and Record-Route ({@code advertised-address} when set).
 * The first listener of each transport is the one requests leave from.
 */
public final class LocalInterfaces {

    /** A bound listener: its transport, socket address and the interface we advertise for it. */
    public record Listener(TransportKind transport, InetSocketAddress bound, LocalInterface advertised) {
    }

    private final List<Listener> listeners;
    private final Map<TransportKind, Listener> primary = new EnumMap<>(TransportKind.class);
    private final LocalIdentity identity;

    /**
     * @param bound      every bound listener (actual ports, also when port 0 was configured)
     * @param advertised {@code host[:port]} to advertise instead of the socket address, or null
     */
    public LocalInterfaces(List<Map.Entry<TransportKind, InetSocketAddress>> bound, String advertised) {
        List<Listener> all = new ArrayList<>();
        List<LocalInterface> identities = new ArrayList<>();
        for (Map.Entry<TransportKind, InetSocketAddress> e : bound) {
            TransportKind kind = e.getKey();
            InetSocketAddress address = e.getValue();
            String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
            int port = address.getPort();
            String token = kind.token().toLowerCase(Locale.ROOT);
            LocalInterface socketFace = new LocalInterface(host, port, token);
            identities.add(socketFace);
            LocalInterface face = socketFace;
            if ((advertised == null || advertised.isBlank()) && address.getAddress() != null
                    && address.getAddress().isAnyLocalAddress()) {
                LoggerFactory.getLogger(LocalInterfaces.class).warn(
                        "{}:{} listens on a wildcard address but sipedge.advertised-address is not set: "
                                + "Via and Record-Route will carry {}, which peers cannot reach", token, address, host);
            }
            if (advertised != null && !advertised.isBlank()) {
                face = advertisedInterface(advertised, port, token);
                identities.add(face);
            }
            Listener listener = new Listener(kind, address, face);
            all.add(listener);
            primary.putIfAbsent(kind, listener);
        }
        this.listeners = List.copyOf(all);
        this.identity = new LocalIdentity(identities);
    }

    private static LocalInterface advertisedInterface(String advertised, int defaultPort, String token) {
        String host = advertised;
        int port = defaultPort;
        int colon = advertised.lastIndexOf(':');
        if (colon > 0 && advertised.indexOf(':') == colon) {
            host = advertised.substring(0, colon);
            port = Integer.parseInt(advertised.substring(colon + 1));
        }
        return new LocalInterface(host, port, token);
    }

    /** Hosts compare as IP addresses when both are literals (so ::1 equals 0:0:0:0:0:0:0:1), else as names. */
    private static boolean sameHost(String ours, String theirs) {
        if (ours.equalsIgnoreCase(theirs)) {
            return true;
        }
        byte[] a = NetUtil.createByteArrayFromIpAddressString(ours);
        byte[] b = NetUtil.createByteArrayFromIpAddressString(theirs);
        return a != null && b != null && Arrays.equals(a, b);
    }

    public LocalIdentity identity() {
        return identity;
    }

    public List<Listener> listeners() {
        return listeners;
    }

    /** The listener requests of this transport leave from, or null when we do not speak it. */
    public Listener outbound(TransportKind transport) {
        return primary.get(transport);
    }

    /**
     * The listener a message arrived on: the one bound to exactly {@code flow.local()}, else one of
     * the same transport and port (a wildcard-bound listener), else the primary one (a message on
     * an outbound TCP connection, whose local port is ephemeral).
     */
    public Listener inbound(Flow flow) {
        if (flow.local() != null) {
            for (Listener l : listeners) {
                if (l.transport() == flow.transport() && l.bound().equals(flow.local())) {
                    return l;
                }
            }
            for (Listener l : listeners) {
                if (l.transport() == flow.transport() && l.bound().getPort() == flow.local().getPort()) {
                    return l;
                }
            }
        }
        return primary.get(flow.transport());
    }

    /** True when a Via was written by us: its sent-by is one of our interfaces. */
    public boolean isOurVia(Via via) {
        int port = via.getPort() > 0 ? via.getPort() : 5060;
        String transport = via.getTransport() == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
        String host = via.getHost() == null ? "" : via.getHost().trim();
        if (host.length() >= 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            host = host.substring(1, host.length() - 1);   // an IPv6 reference, as LocalInterface stores it bare
        }
        for (Listener l : listeners) {
            LocalInterface face = l.advertised();
            if (face.port() == port && sameHost(face.host(), host) && face.transport().equals(transport)) {
                return true;
            }
        }
        return false;
    }
}

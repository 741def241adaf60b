package dev.sipedge.proxy;

import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.recordroute.LocalInterface;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.header.Via;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** The listener a message arrived on (matched by transport and local address), or the primary one. */
    public Listener inbound(Flow flow) {
        if (flow.local() != null) {
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
        for (Listener l : listeners) {
            LocalInterface face = l.advertised();
            if (face.port() == port && face.host().equalsIgnoreCase(via.getHost())
                    && face.transport().equals(transport)) {
                return true;
            }
        }
        return false;
    }
}

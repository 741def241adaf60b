package dev.sipedge.recordroute;

import gov.nist.javax.sip.address.SipUri;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.address.URI;

/**
 * Which {@code host:port:transport} combinations are "us": every listen entry plus every
 * advertised address. Used for "the Request-URI contains a value this proxy placed into a
 * Record-Route" and "the first Route value indicates this proxy" (RFC 3261 §16.4).
 *
 * <p>Matching rules for a SIP URI:
 * <ul>
 *   <li>host: the {@code maddr} parameter when present (it overrides the host as the place the
 *       request goes, RFC 3261 §19.1.1), else the host part; compared case-insensitively,
 *       IPv6 brackets ignored;</li>
 *   <li>port: the explicit port, else 5060 ({@code sip:}) or 5061 ({@code sips:});</li>
 *   <li>transport: the {@code transport} parameter when present must equal an interface's
 *       transport (a {@code sips:} URI defaults to {@code tls}); a {@code sip:} URI without
 *       one matches any of our transports on that host and port, because RFC 3263 lets the
 *       sender pick UDP or TCP for it.</li>
 * </ul>
 * Non-SIP URIs ({@code tel:}, unknown schemes) are never ours. Immutable and thread-safe.
 */
public final class LocalIdentity {

    private final List<LocalInterface> interfaces;
    /** "host|port|transport" keys and "host|port" keys for URIs without transport. */
    private final Set<String> exact = new HashSet<>();
    private final Set<String> anyTransport = new HashSet<>();

    public LocalIdentity(Collection<LocalInterface> interfaces) {
        if (interfaces == null || interfaces.isEmpty()) {
            throw new IllegalArgumentException("at least one local interface is required");
        }
        this.interfaces = List.copyOf(interfaces);
        for (LocalInterface li : this.interfaces) {
            exact.add(li.host() + '|' + li.port() + '|' + li.transport());
            anyTransport.add(li.host() + '|' + li.port());
        }
    }

    /** The interfaces this identity was built from, in the order given. */
    public List<LocalInterface> interfaces() {
        return interfaces;
    }

    /** True when {@code uri} names one of our interfaces (rules in the class comment). */
    public boolean isOurs(URI uri) {
        if (!(uri instanceof SipUri sip)) {
            return false;
        }
        String maddr = sip.getMAddrParam();
        String rawHost = maddr != null ? maddr : sip.getHost();
        if (rawHost == null) {
            return false;
        }
        String host = LocalInterface.normalizeHost(rawHost);
        boolean secure = sip.isSecure();
        int port = sip.getPort() > 0 ? sip.getPort() : (secure ? 5061 : 5060);
        String transport = sip.getTransportParam();
        if (transport == null && secure) {
            transport = "tls";
        }
        if (transport == null) {
            return anyTransport.contains(host + '|' + port);
        }
        return exact.contains(host + '|' + port + '|' + transport.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "LocalIdentity" + interfaces;
    }
}

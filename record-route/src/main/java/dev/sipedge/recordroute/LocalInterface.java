package dev.sipedge.recordroute;

import java.util.Locale;
import java.util.Objects;

/**
 * One of our SIP interfaces as it appears in Via and Record-Route: the host (advertised address
 * or socket address), the port and the transport token ({@code "udp"}, {@code "tcp"}, ...).
 *
 * <p>The host is kept as given except that IPv6 brackets are removed and letters are lower-cased,
 * so that comparisons with URI hosts (RFC 3261 §19.1.4: hosts compare case-insensitively) are
 * plain string equality. The transport is lower-cased.
 */
public record LocalInterface(String host, int port, String transport) {

    public LocalInterface {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        host = normalizeHost(host);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        transport = transport.toLowerCase(Locale.ROOT);
        if (transport.isEmpty()) {
            throw new IllegalArgumentException("empty transport");
        }
    }

    /** Lower-case, without the brackets of an IPv6 reference. */
    static String normalizeHost(String host) {
        String h = host.trim();
        if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            h = h.substring(1, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** The host as it must be written in a URI (IPv6 references get their brackets back). */
    String uriHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}

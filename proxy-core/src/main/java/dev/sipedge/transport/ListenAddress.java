package dev.sipedge.transport;

import dev.sipedge.transaction.TransportKind;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code sipedge.listen} entry: {@code "udp:HOST:PORT"} or {@code "tcp:HOST:PORT"}. HOST is an
 * IP literal (IPv6 in brackets: {@code "tcp:[::1]:5060"}); names are refused so that binding never
 * needs DNS. Port 0 asks for an ephemeral port.
 */
public record ListenAddress(TransportKind transport, String host, int port) {

    public ListenAddress {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            throw new IllegalArgumentException("listen host must be an IP address: " + host);
        }
    }

    /** Parses {@code "udp:127.0.0.1:5060"}, {@code "tcp:[::1]:5060"}; the transport is case-insensitive. */
    public static ListenAddress parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        int lastColon = spec.lastIndexOf(':');
        if (colon <= 0 || lastColon == colon) {
            throw new IllegalArgumentException("expected transport:host:port, got \"" + spec + "\"");
        }
        TransportKind kind = TransportKind.fromToken(spec.substring(0, colon));
        if (kind == null) {
            throw new IllegalArgumentException("unknown transport in \"" + spec + "\"");
        }
        String host = spec.substring(colon + 1, lastColon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(lastColon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + spec + "\"", e);
        }
        return new ListenAddress(kind, host, port);
    }

    /** The address to bind; built from the IP literal, so no name lookup happens. */
    public InetSocketAddress socketAddress() {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("validated IP literal did not convert: " + host, e);
        }
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return transport.token().toLowerCase(Locale.ROOT) + ":" + h + ":" + port;
    }
}

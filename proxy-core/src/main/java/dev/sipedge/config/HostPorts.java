package dev.sipedge.config;

import java.net.InetSocketAddress;

/** Parses {@code host:port} strings of the configuration ({@code [v6]:port} too). */
final class HostPorts {
    private HostPorts() {
    }

    static InetSocketAddress parse(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(key + ": expected host:port, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected host:port with a numeric port, got '" + value + "'", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + ": expected a port from 0 to 65535, got '" + value + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}

package dev.sipedge.config;

import java.net.InetSocketAddress;

/** {@code sipedge.metrics}: where the Prometheus endpoint listens and its path. */
public record MetricsSettings(InetSocketAddress listen, String path) {
}

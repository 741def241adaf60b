package dev.sipedge.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The transport section of the configuration.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>field</th><th>meaning</th><th>usual value</th></tr>
 *   <tr><td>maxMessageSize</td><td>largest message accepted on either transport; bigger ones get
 *       513 (RFC 3261 §21.5.14) or are dropped</td><td>65535</td></tr>
 *   <tr><td>tcpIdleTimeout</td><td>a TCP connection with no traffic either way for this long is
 *       closed</td><td>300 s</td></tr>
 *   <tr><td>ioThreads</td><td>Netty event loops; 0 means one per core</td><td>0</td></tr>
 *   <tr><td>tcpConnectTimeout</td><td>outgoing TCP connection set-up limit</td><td>5 s</td></tr>
 * </table>
 */
public record TransportSettings(List<ListenAddress> listen, int maxMessageSize, Duration tcpIdleTimeout,
                                int ioThreads, Duration tcpConnectTimeout) {

    public TransportSettings {
        listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
        Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
        Objects.requireNonNull(tcpConnectTimeout, "tcpConnectTimeout");
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("sipedge.listen: no listen address");
        }
        if (maxMessageSize < 256) {
            throw new IllegalArgumentException("sipedge.transport.max-message-size: must be at least 256, got " + maxMessageSize);
        }
        if (tcpIdleTimeout.isNegative() || tcpIdleTimeout.isZero()) {
            throw new IllegalArgumentException("sipedge.transport.tcp-idle-timeout: must be positive, got " + tcpIdleTimeout);
        }
        if (tcpConnectTimeout.isNegative() || tcpConnectTimeout.isZero()) {
            throw new IllegalArgumentException("sipedge.transport.tcp-connect-timeout: must be positive, got " + tcpConnectTimeout);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("sipedge.transport.io-threads: must be 0 (one per core) or more, got " + ioThreads);
        }
    }

    /** Defaults for everything but the listen list: 65535 bytes, 300 s idle, one loop per core, 5 s connect. */
    public static TransportSettings defaults(List<ListenAddress> listen) {
        return new TransportSettings(listen, 65535, Duration.ofSeconds(300), 0, Duration.ofSeconds(5));
    }

    /** {@link #ioThreads} with 0 replaced by the number of cores. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}

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
 *   <tr><td>ioThreads</td><td>Netty event loops; 0 means {@link #defaultIoThreads one per core, or one
 *       on a machine of two cores or fewer}</td><td>0</td></tr>
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
            throw new IllegalArgumentException("sipedge.transport.io-threads: must be 0 (sipedge's choice) or more, got " + ioThreads);
        }
    }

    /** Defaults for everything but the listen list: 65535 bytes, 300 s idle, one loop per core, 5 s connect. */
    public static TransportSettings defaults(List<ListenAddress> listen) {
        return new TransportSettings(listen, 65535, Duration.ofSeconds(300), 0, Duration.ofSeconds(5));
    }

    /** {@link #ioThreads} with 0 replaced by {@link #defaultIoThreads} of this machine. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : defaultIoThreads(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The event loops for {@code cores} when the configuration leaves it to sipedge: one per core,
     * except with two cores or fewer, where one.
     *
     * <p>Why one on two cores: a call's messages come in on whichever loop's socket the kernel picked
     * for each peer, and about half of them are handed to the loop that owns the call, which costs a
     * wake-up of that loop and the call's state crossing between cores. On the 2-core bench at 1,000
     * calls/s, one loop spent 0.27-0.30 ms of CPU per call against 0.34-0.40 with two (Kamailio
     * 0.33-0.38), and it still passed 2,500-3,000 calls/s, beside Kamailio's 1,500-2,000 that day; two
     * loops reach further (3,500-4,000), so a box run at its limit wants {@code io-threads = 2}
     * (docs/performance.md, eighteenth session). The second core is not idle: the collector, the
     * compiler, the timer and the log writer run there. Larger machines were not measured and keep
     * one loop per core.
     */
    public static int defaultIoThreads(int cores) {
        return cores <= 2 ? 1 : cores;
    }
}

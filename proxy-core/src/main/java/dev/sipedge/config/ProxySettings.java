package dev.sipedge.config;

import com.typesafe.config.Config;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.dialog.PersistenceSettings;
import dev.sipedge.dialog.PingMode;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteRules;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transport.ListenAddress;
import dev.sipedge.transport.TransportSettings;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything proxy-core reads from the {@code sipedge} section, in one immutable record. This and
 * the other modules' settings records are the only classes that see {@link Config}.
 *
 * @param shutdownGrace how long a graceful stop (SIGTERM) waits for calls and transactions
 */
public record ProxySettings(List<ListenAddress> listen, String advertisedAddress, List<RouteRule> routes,
                            int workers, Duration timerTick, TransportSettings transport,
                            Duration dnsQueryTimeout, Duration dnsMaxCacheTtl, List<InetSocketAddress> dnsServers,
                            int warmupCalls, Duration warmupMaxTime,
                            MetricsSettings metrics, TransactionSettings transaction, DialogSettings dialog,
                            ManagementSettings management, Duration shutdownGrace, PersistenceSettings persistence) {

    /** Settings without dialog persistence. */
    public ProxySettings(List<ListenAddress> listen, String advertisedAddress, List<RouteRule> routes,
                         int workers, Duration timerTick, TransportSettings transport,
                         Duration dnsQueryTimeout, Duration dnsMaxCacheTtl, List<InetSocketAddress> dnsServers,
                         int warmupCalls, Duration warmupMaxTime,
                         MetricsSettings metrics, TransactionSettings transaction, DialogSettings dialog,
                         ManagementSettings management, Duration shutdownGrace) {
        this(listen, advertisedAddress, routes, workers, timerTick, transport, dnsQueryTimeout, dnsMaxCacheTtl,
                dnsServers, warmupCalls, warmupMaxTime, metrics, transaction, dialog, management, shutdownGrace,
                PersistenceSettings.NONE);
    }

    public ProxySettings {
        routes = List.copyOf(routes);
        // A ping interval is checked only when some route pings that way (DESIGN.md, "Lifecycle").
        dialog.requests().checkAgainst(transaction.sixtyFourT1(), pings(routes, PingMode.OPTIONS),
                pings(routes, PingMode.REINVITE));
        listen = List.copyOf(listen);
        dnsServers = List.copyOf(dnsServers);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException(
                    "sipedge.listen: is empty, expected at least one \"udp:HOST:PORT\" or \"tcp:HOST:PORT\"");
        }
        if (warmupCalls < 0) {
            throw new IllegalArgumentException("sipedge.warmup.calls: must be 0 (off) or more, got " + warmupCalls);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("sipedge.workers: must be 0 (the I/O loops own the calls) or more, got "
                    + workers);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("sipedge.shutdown.grace: must be 0 or more, got " + shutdownGrace);
        }
    }

    private static boolean pings(List<RouteRule> routes, PingMode mode) {
        return routes.stream().anyMatch(r -> r.dialog().pingCaller() == mode || r.dialog().pingCallee() == mode);
    }

    private static List<InetSocketAddress> dnsServers(Config c) {
        List<InetSocketAddress> servers = new ArrayList<>();
        List<String> specs = c.getStringList("dns.servers");
        for (int i = 0; i < specs.size(); i++) {
            String key = "sipedge.dns.servers[" + i + "]";
            InetSocketAddress unresolved = HostPorts.parse(key, specs.get(i));
            // a name server is given by address: resolving a name here would need DNS itself
            servers.add(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(
                    requireIp(key, unresolved.getHostString())), unresolved.getPort()));
        }
        return servers;
    }

    private static String requireIp(String key, String host) {
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            throw new IllegalArgumentException(key + ": expected an IP address (no name), got " + host);
        }
        return host;
    }

    /** Reads a resolved config (with every module's reference.conf as fallback). */
    public static ProxySettings from(Config root) {
        Config c = root.getConfig("sipedge");
        List<ListenAddress> listen = new ArrayList<>();
        List<String> specs = c.getStringList("listen");
        for (int i = 0; i < specs.size(); i++) {
            try {
                listen.add(ListenAddress.parse(specs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sipedge.listen[" + i + "]: " + e.getMessage()
                        + " (expected \"udp:IP:PORT\" or \"tcp:IP:PORT\")", e);
            }
        }
        String advertised = c.hasPath("advertised-address") ? c.getString("advertised-address") : null;
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = c.getInt("workers");
        Config t = c.getConfig("transport");
        if (t.getInt("io-threads") < 0) {
            throw new IllegalArgumentException("sipedge.transport.io-threads: must be 0 (sipedge's choice) or more, got "
                    + t.getInt("io-threads"));
        }
        int ioThreads = t.getInt("io-threads") > 0 ? t.getInt("io-threads") : TransportSettings.defaultIoThreads(cores);
        TransportSettings transport = new TransportSettings(listen, t.getInt("max-message-size"),
                t.getDuration("tcp-idle-timeout"), ioThreads, t.getDuration("tcp-connect-timeout"));
        Config m = c.getConfig("metrics");
        MetricsSettings metrics = new MetricsSettings(HostPorts.parse("sipedge.metrics.listen",
                m.getString("listen")), m.getString("path"));
        return new ProxySettings(listen, advertised, RouteRules.from(c.getConfigList("routes")), workers,
                c.getDuration("timer-tick"), transport, c.getDuration("dns.query-timeout"),
                c.getDuration("dns.max-cache-ttl"), dnsServers(c), c.getInt("warmup.calls"), c.getDuration("warmup.max-time"), metrics, TransactionSettings.from(root),
                DialogSettings.from(root), ManagementSettings.from(c), c.getDuration("shutdown.grace"),
                PersistenceSettings.from(root));
    }
}

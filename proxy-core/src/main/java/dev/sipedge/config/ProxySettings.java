package dev.sipedge.config;

import com.typesafe.config.Config;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteRules;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transport.ListenAddress;
import dev.sipedge.transport.TransportSettings;
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
                            Duration shutdownGrace) {

    public ProxySettings {
        // A ping must have ended (answered or timed out) before the next one is due; a ringing
        // re-INVITE ping lives until Timer C.
        dialog.requests().checkAgainst(transaction.sixtyFourT1(),
                transaction.timerC().compareTo(transaction.sixtyFourT1()) > 0 ? transaction.timerC() : transaction.sixtyFourT1());
        listen = List.copyOf(listen);
        dnsServers = List.copyOf(dnsServers);
        routes = List.copyOf(routes);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("sipedge.listen is empty");
        }
        if (warmupCalls < 0) {
            throw new IllegalArgumentException("sipedge.warmup.calls must be >= 0");
        }
        if (workers < 0) {
            throw new IllegalArgumentException("sipedge.workers must be >= 0");
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("sipedge.shutdown.grace must be >= 0");
        }
    }

    private static List<InetSocketAddress> dnsServers(Config c) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String server : c.getStringList("dns.servers")) {
            InetSocketAddress unresolved = HostPorts.parse("sipedge.dns.servers", server);
            // a name server is given by address: resolving a name here would need DNS itself
            servers.add(new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(
                    requireIp(unresolved.getHostString())), unresolved.getPort()));
        }
        return servers;
    }

    private static String requireIp(String host) {
        if (!io.netty.util.NetUtil.isValidIpV4Address(host) && !io.netty.util.NetUtil.isValidIpV6Address(host)) {
            throw new IllegalArgumentException("sipedge.dns.servers: not an IP address: " + host);
        }
        return host;
    }

    /** Reads a resolved config (with every module's reference.conf as fallback). */
    public static ProxySettings from(Config root) {
        Config c = root.getConfig("sipedge");
        List<ListenAddress> listen = new ArrayList<>();
        for (String spec : c.getStringList("listen")) {
            listen.add(ListenAddress.parse(spec));
        }
        String advertised = c.hasPath("advertised-address") ? c.getString("advertised-address") : null;
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = c.getInt("workers");
        Config t = c.getConfig("transport");
        int ioThreads = t.getInt("io-threads") > 0 ? t.getInt("io-threads") : cores;
        TransportSettings transport = new TransportSettings(listen, t.getInt("max-message-size"),
                t.getDuration("tcp-idle-timeout"), ioThreads, t.getDuration("tcp-connect-timeout"));
        Config m = c.getConfig("metrics");
        MetricsSettings metrics = new MetricsSettings(HostPorts.parse("sipedge.metrics.listen",
                m.getString("listen")), m.getString("path"));
        return new ProxySettings(listen, advertised, RouteRules.from(c.getConfigList("routes")), workers,
                c.getDuration("timer-tick"), transport, c.getDuration("dns.query-timeout"),
                c.getDuration("dns.max-cache-ttl"), dnsServers(c), c.getInt("warmup.calls"), c.getDuration("warmup.max-time"), metrics, TransactionSettings.from(root),
                DialogSettings.from(root), c.getDuration("shutdown.grace"));
    }
}

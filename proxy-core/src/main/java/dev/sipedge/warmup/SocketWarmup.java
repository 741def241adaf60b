package dev.sipedge.warmup;

import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.logging.DiscardingLogger;
import dev.sipedge.proxy.DrainGate;
import dev.sipedge.proxy.LocalInterfaces;
import dev.sipedge.proxy.MessageIntake;
import dev.sipedge.proxy.ProxyMetrics;
import dev.sipedge.proxy.ProxyServices;
import dev.sipedge.proxy.ShardTimers;
import dev.sipedge.proxy.ShardedCore;
import dev.sipedge.proxy.Shards;
import dev.sipedge.proxy.TargetResolver;
import dev.sipedge.proxy.routing.RouteMatch;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.Router;
import dev.sipedge.proxy.validation.BranchGenerator;
import dev.sipedge.proxy.validation.RequestValidator;
import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transaction.TransportKind;
import dev.sipedge.transport.ListenAddress;
import dev.sipedge.transport.SipTransport;
import dev.sipedge.transport.TransportSettings;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Set;

/**
 * The start-up warm-up's calls: synthetic calls over loopback sockets through a throwaway proxy
 * put together as the real one is (native UDP sockets on port 0, the same shards and their timer wheels,
 * Prometheus registry and dialog module), so that the JIT compiles the proxy's logic against the
 * classes real traffic brings (socket channels, pooled buffers, event loop executors, timers,
 * meters). An in-memory phase before it, with stand-ins for those, made C2 specialise call sites
 * to the stand-ins, which these calls and then real traffic deoptimised (docs/performance.md).
 * Nothing of it outlives the run, and nothing leaves 127.0.0.1.
 */
public final class SocketWarmup {
    private static final String LOOPBACK = "127.0.0.1";
    static final Duration WARMUP_T4 = Duration.ofMillis(20);

    private SocketWarmup() {
    }

    /**
     * The configured timers with T4 cut to {@link #WARMUP_T4}: Timer K (T4 over UDP) then expires
     * each completed BYE client transaction's key from its layer's store within the run instead of
     * 5 s later, so that the timer-driven expiry is compiled before real traffic; when the
     * transaction itself lingered for Timer K, its end used to deoptimise the non-INVITE client
     * transaction some seconds into the load.
     */
    static TransactionSettings lingerBriefly(TransactionSettings configured) {
        return new TransactionSettings(configured.t1(), configured.t2(), WARMUP_T4, configured.timerC());
    }

    public static Warmup.Result run(int calls, Duration maxTime, ProxySettings settings, TargetResolver resolver)
            throws InterruptedException {
        long start = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TransportSettings real = settings.transport();
        SipTransport transport = SipTransport.bindUntraced(new TransportSettings(
                List.of(new ListenAddress(TransportKind.UDP, LOOPBACK, 0)), real.maxMessageSize(),
                real.tcpIdleTimeout(), real.ioThreads(), real.tcpConnectTimeout()), registry);
        Shards shards = settings.workers() == 0 ? Shards.borrowing(transport.eventLoops())
                : new Shards(settings.workers());
        InetSocketAddress proxy = transport.listeningPoints().get(0).local();
        ShardTimers timer = new ShardTimers(shards, settings.timerTick());
        try (SocketPeers peers = new SocketPeers(proxy);
             DiscardingLogger records = DiscardingLogger.named(Warmup.RECORDS_LOGGER)) {
            LocalInterfaces interfaces = new LocalInterfaces(
                    List.of(new AbstractMap.SimpleImmutableEntry<>(TransportKind.UDP, proxy)), null);
            String hop = "sip:" + LOOPBACK + ":" + peers.uas().getPort();
            ProxyMetrics metrics = new ProxyMetrics(registry);
            ProxyServices services = new ProxyServices(interfaces,
                    new Router(List.of(new RouteRule(0, RouteMatch.ANY, List.of(hop), DialogOptions.TRACK))),
                    List.of(List.of(new StringMsgParser().parseUrl(hop))),
                    new LooseRouter(interfaces.identity()), new RecordRouter(), new BranchGenerator(), resolver,
                    transport, timer, lingerBriefly(settings.transaction()), metrics);
            DialogModule dialogs = new DialogModule(settings.dialog(), registry);
            dialogs.addListener(Warmup.syntheticRecords(records.logger()));
            ShardedCore core = ShardedCore.wire(shards, services, dialogs, new DrainGate());
            transport.open(shards, new MessageIntake(core.layers(), new RequestValidator(Set.of()), interfaces,
                    transport, metrics));
            peers.run(calls, start + maxTime.toNanos());
            return new Warmup.Result(peers.started(), peers.completed(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("warm-up over loopback sockets failed", e);
        } finally {
            timer.stop();       // first: its wheels are emptied on the shards' threads
            transport.close();
            shards.close();
        }
    }
}

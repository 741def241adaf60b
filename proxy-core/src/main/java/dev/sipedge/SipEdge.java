package dev.sipedge;

import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.CallRecords;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogTracker;
import dev.sipedge.management.ManagementServer;
import dev.sipedge.management.ModuleOperations;
import dev.sipedge.management.EmbeddedProcessControl;
import dev.sipedge.management.ProcessControl;
import dev.sipedge.metrics.MetricsServer;
import dev.sipedge.persistence.PersistenceService;
import dev.sipedge.proxy.DrainGate;
import dev.sipedge.proxy.MessageIntake;
import dev.sipedge.proxy.LocalInterfaces;
import dev.sipedge.proxy.ProxyMetrics;
import dev.sipedge.proxy.ProxyServices;
import dev.sipedge.proxy.ShardTimers;
import dev.sipedge.proxy.ShardedCore;
import dev.sipedge.proxy.Shards;
import dev.sipedge.proxy.TargetResolver;
import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.proxy.routing.Routes;
import dev.sipedge.proxy.validation.BranchGenerator;
import dev.sipedge.proxy.validation.RequestValidator;
import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransportKind;
import dev.sipedge.transport.SipTransport;
import dev.sipedge.warmup.CompilerIdle;
import dev.sipedge.warmup.SocketWarmup;
import dev.sipedge.warmup.Warmup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sipedge: wires the transport, the shards with their transaction layers and proxy
 * engines, the shards' timer wheels, DNS and the metrics endpoint. {@link Main} runs one; end-to-end
 * tests can run one in the JVM too.
 */
public final class SipEdge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipEdge.class);
    /** The longest the warm-up waits for the JIT to go quiet before its last phase (0.2-1.6 s when measured). */
    private static final Duration MAX_QUIET_WAIT = Duration.ofSeconds(3);
    private static final Warmup.Result NO_CALLS = new Warmup.Result(0, 0, Duration.ZERO);

    private final PrometheusMeterRegistry registry;
    private final Timer timer;
    private final Shards shards;
    private final NioEventLoopGroup dnsLoop;
    private final TargetResolver resolver;
    private final SipTransport transport;
    private final MetricsServer metricsServer;
    private final LocalInterfaces interfaces;
    private final TransactionLayer[] layers;
    private final DialogModule dialogs;
    private ManagementServer managementServer;
    /** Null when dialog persistence is off. */
    private PersistenceService persistence;
    private final Routes routes;
    private final DrainGate gate;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SipEdge(PrometheusMeterRegistry registry, Timer timer, Shards shards, NioEventLoopGroup dnsLoop,
                    TargetResolver resolver, SipTransport transport, MetricsServer metricsServer,
                    LocalInterfaces interfaces, TransactionLayer[] layers, DialogModule dialogs, Routes routes,
                    DrainGate gate) {
        this.dialogs = dialogs;
        this.routes = routes;
        this.gate = gate;
        this.registry = registry;
        this.timer = timer;
        this.shards = shards;
        this.dnsLoop = dnsLoop;
        this.resolver = resolver;
        this.transport = transport;
        this.metricsServer = metricsServer;
        this.interfaces = interfaces;
        this.layers = layers;
    }

    /**
     * Binds every socket and starts serving; throws if a socket cannot be bound. Started from
     * settings made in code, there is no file to reload: the management API's {@code /reload}
     * says so ({@link EmbeddedProcessControl}).
     */
    public static SipEdge start(ProxySettings settings) throws InterruptedException {
        return start(settings, edge -> new EmbeddedProcessControl(edge.drainGate()));
    }

    /**
     * As {@link #start(ProxySettings)}; {@code control} makes the management API's view of the
     * process lifecycle ({@code /health} draining, {@code /reload}) once the proxy exists, since
     * that lifecycle drains and reloads this very proxy.
     */
    public static SipEdge start(ProxySettings settings, Function<SipEdge, ProcessControl> control)
            throws InterruptedException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvmMeters(registry);
        NioEventLoopGroup dnsLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("sipedge-dns", true));
        TargetResolver resolver = new TargetResolver(dnsLoop.next(), settings.dnsQueryTimeout(), settings.dnsMaxCacheTtl(),
                settings.dnsServers());
        warmUp(settings, resolver);
        SipTransport transport = SipTransport.bind(settings.transport(), registry);
        Shards shards = settings.workers() == 0 ? Shards.borrowing(transport.eventLoops()) : new Shards(settings.workers());
        Timer timer = new ShardTimers(shards, settings.timerTick());

        LocalInterfaces interfaces = new LocalInterfaces(bound(transport), settings.advertisedAddress());
        ProxyMetrics metrics = new ProxyMetrics(registry);
        DialogModule dialogs = new DialogModule(settings.dialog(), registry);
        // one end-of-call record per dialog on the sipedge.cdr logger (nothing is built when it is off)
        dialogs.addListener(new CallRecords());
        Routes routes = new Routes(RouteTable.build(settings.routes(), dialogs));
        ProxyServices services = new ProxyServices(interfaces, routes,
                new LooseRouter(interfaces.identity()), new RecordRouter(), new BranchGenerator(), resolver,
                transport, timer, settings.transaction(), metrics);
        DrainGate gate = new DrainGate();
        ShardedCore core = ShardedCore.wire(shards, services, dialogs, gate);
        TransactionLayer[] layers = core.layers();
        DialogTracker[] trackers = core.trackers();
        bindTransactionMeters(registry, layers);
        // Stored dialogs come back before the dispatcher delivers any request (issue 10).
        PersistenceService persistence;
        try {
            persistence = PersistenceService.start(settings.persistence(), dialogs,
                    callId -> trackers[shards.indexFor(callId)], registry);
        } catch (RuntimeException e) {
            timer.stop();
            shards.close();
            transport.close();
            resolver.close();
            dnsLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        // Nothing is read before this point: what arrived meanwhile waits in the sockets' buffers.
        transport.open(shards, new MessageIntake(layers, new RequestValidator(Set.of()), interfaces, transport,
                metrics));

        MetricsServer metricsServer = MetricsServer.start(settings.metrics().listen(), settings.metrics().path(), registry);
        SipEdge edge = new SipEdge(registry, timer, shards, dnsLoop, resolver, transport, metricsServer, interfaces, layers,
                dialogs, routes, gate);
        edge.persistence = persistence;
        try {
            edge.managementServer = ManagementServer.start(settings.management(), new ModuleOperations(dialogs),
                    control.apply(edge));
        } catch (InterruptedException | RuntimeException e) {
            edge.close();
            throw e;
        }
        log.info("sipedge listening on {}; metrics on http://{}:{}{}; management on http://{}:{}",
                edge.describeListeners(), metricsServer.localAddress().getHostString(),
                metricsServer.localAddress().getPort(), settings.metrics().path(),
                edge.managementAddress().getHostString(), edge.managementAddress().getPort());
        return edge;
    }

    /**
     * The warm-up: the configured number of calls over loopback sockets through a throwaway proxy
     * built as the real one is, then, once the JIT has gone quiet (at most {@link #MAX_QUIET_WAIT}),
     * a fifth as many again, which promotes what C2 left in its profiling tier while its queue was
     * long. The configured time bounds them together.
     *
     * <p>No phase runs in memory any more: there the timer, the wire, the meters and the executor
     * were stand-ins, C2 specialised call sites to them, and the socket phase's real classes then
     * deoptimised those sites (a type check failing in {@code ProxyMetrics}, {@code LayerContext},
     * {@code FsmTransaction.startTimer}, ...), so that methods such as {@code ProxyEngine.onRequest}
     * were compiled a third time under the first real load (docs/performance.md, twenty-eighth
     * session).
     */
    private static void warmUp(ProxySettings settings, TargetResolver resolver) throws InterruptedException {
        int calls = settings.warmupCalls();
        if (calls == 0) {
            return;
        }
        long start = System.nanoTime();
        Duration max = settings.warmupMaxTime();
        Warmup.Result sockets = overSockets(calls, max, start, settings, resolver);
        Optional<CompilerIdle> jit = CompilerIdle.ofThisJvm();
        Duration left = remaining(max, start);
        CompilerIdle.Wait wait = jit.isEmpty() || left.isNegative() ? new CompilerIdle.Wait(false, Duration.ZERO)
                : jit.get().await(left.compareTo(MAX_QUIET_WAIT) < 0 ? left : MAX_QUIET_WAIT);
        Warmup.Result after = jit.isEmpty() ? NO_CALLS : overSockets(calls / 5, max, start, settings, resolver);
        log.info("warm-up: {} synthetic calls over loopback sockets ({} completed) in {} ms, {} more ({} completed) "
                        + "in {} ms after {} ms waiting for the JIT to go quiet{}",
                sockets.started(), sockets.completed(), sockets.took().toMillis(), after.started(),
                after.completed(), after.took().toMillis(), wait.waited().toMillis(), wait.quiet() ? "" : " (it did not)");
    }

    private static Warmup.Result overSockets(int calls, Duration max, long start, ProxySettings settings,
                                             TargetResolver resolver) throws InterruptedException {
        Duration left = remaining(max, start);
        return left.isNegative() || calls == 0 ? NO_CALLS : SocketWarmup.run(calls, left, settings, resolver);
    }

    private static Duration remaining(Duration max, long startNanos) {
        return max.minus(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private static List<Map.Entry<TransportKind, InetSocketAddress>> bound(SipTransport transport) {
        List<Map.Entry<TransportKind, InetSocketAddress>> bound = new ArrayList<>();
        for (Flow point : transport.listeningPoints()) {
            bound.add(new AbstractMap.SimpleImmutableEntry<>(point.transport(), point.local()));
        }
        return bound;
    }

    private static void bindJvmMeters(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private static void bindTransactionMeters(PrometheusMeterRegistry registry, TransactionLayer[] layers) {
        // Read across shards without locks: each layer's counts are plain fields, a scrape may be a tick stale.
        Gauge.builder("sipedge_transactions_active", layers, ls -> {
            long sum = 0;
            for (TransactionLayer l : ls) {
                sum += l.activeTransactions();
            }
            return sum;
        }).description("Live SIP transactions (client and server)").register(registry);
        FunctionCounter.builder("sipedge_retransmissions", layers, ls -> {
            long sum = 0;
            for (TransactionLayer l : ls) {
                sum += l.retransmissions();
            }
            return sum;
        }).description("Requests and responses retransmitted by the transaction layer").register(registry);
    }

    public String describeListeners() {
        return interfaces.listeners().stream()
                .map(l -> l.transport().token().toLowerCase() + ":" + l.bound().getHostString() + ":" + l.bound().getPort())
                .collect(Collectors.joining(", "));
    }

    /** The shard that owns {@code callId} (null: a message without one), as the transport decides it. */
    public int ownerOf(String callId) {
        return shards.indexFor(callId);
    }

    public LocalInterfaces interfaces() {
        return interfaces;
    }

    /** The dialog module: dialogs, profiles, listeners (the Java API for embedders). */
    public DialogModule dialogs() {
        return dialogs;
    }

    /** The route table in force; a reload replaces it for new requests. */
    public Routes routes() {
        return routes;
    }

    /** Closed by a graceful stop: new initial requests then get 503. */
    /** Writes every waiting dialog change to the store (a graceful stop's before-close step); true without persistence. */
    public boolean flushDialogs() {
        return persistence == null || persistence.flush();
    }

    public DrainGate drainGate() {
        return gate;
    }

    /**
     * Transactions still waiting for a final response, over all shards, each counted on its own
     * shard. Completes on a shard thread: never {@code join()} it from a SIP thread.
     */
    public CompletableFuture<Integer> transactionsInProgress() {
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            parts.add(CompletableFuture.supplyAsync(layers[i]::transactionsInProgress, shards.get(i)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public InetSocketAddress metricsAddress() {
        return metricsServer.localAddress();
    }

    /** Where the management API listens (the bound port when configured with port 0). */
    public InetSocketAddress managementAddress() {
        return managementServer.localAddress();
    }

    /**
     * Stops listening, then the shards, timer and DNS; in-flight transactions are dropped (a
     * graceful stop drains them first). Only the first call does anything.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (managementServer != null) {
            managementServer.close();
        }
        metricsServer.close();
        timer.stop();       // first, so no timer hands work to a stopped shard
        shards.close();
        if (persistence != null) {
            persistence.close();     // after the shards: nothing changes a dialog any more
        }
        transport.close();
        resolver.close();
        dnsLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        log.info("sipedge stopped");
    }
}

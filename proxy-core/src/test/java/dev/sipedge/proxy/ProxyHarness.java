package dev.sipedge.proxy;

import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.proxy.routing.RouteMatch;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.proxy.routing.Router;
import dev.sipedge.proxy.routing.Routes;
import dev.sipedge.proxy.validation.BranchGenerator;
import dev.sipedge.recordroute.LooseRouter;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ManualTimer;
import dev.sipedge.transaction.RecordingTransport;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sip.SipException;
import javax.sip.address.URI;

/**
 * One shard of the proxy without sockets: the real transaction layer and engine, a manual
 * timer, a direct executor and a transport that records what would go on the wire. The proxy
 * listens on 127.0.0.1:5060 (UDP and TCP); the UAC is 127.0.0.1:5061, UAS 127.0.0.1:5070.
 */
final class ProxyHarness implements AutoCloseable {
    static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 5060);
    static final InetSocketAddress UAC = new InetSocketAddress("127.0.0.1", 5061);
    static final InetSocketAddress UAS = new InetSocketAddress("127.0.0.1", 5070);
    static final InetSocketAddress UAS2 = new InetSocketAddress("127.0.0.1", 5072);
    static final Flow FROM_UAC = new Flow(TransportKind.UDP, PROXY, UAC);
    static final Flow FROM_UAS = new Flow(TransportKind.UDP, PROXY, UAS);
    static final Flow FROM_UAS2 = new Flow(TransportKind.UDP, PROXY, UAS2);
    static final TransactionSettings TIMERS = TransactionSettings.DEFAULTS;

    final ManualTimer timer = new ManualTimer();
    final RecordingTransport wire = new RecordingTransport();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TransactionLayer layer;
    /** The dialog module; null when the harness runs without dialog tracking. */
    final DialogModule dialogs;
    /** The engine's dialog hook when dialogs are tracked, else null. */
    final TrackedDialogs hook;
    /** The route table in force; tests replace it as a reload does. */
    final Routes routes;
    /** Closed by a test as a graceful stop does. */
    final DrainGate gate = new DrainGate();
    private final NioEventLoopGroup dnsLoop = new NioEventLoopGroup(1);
    private final TargetResolver resolver;

    /** @param nextHops the one route's next hops (more than one forks) */
    ProxyHarness(String... nextHops) {
        this(null, DialogOptions.NONE, nextHops);
    }

    /**
     * A harness whose route tracks dialogs with {@code options}.
     *
     * @param dialogSettings the dialog module's settings; null: no dialog module at all
     */
    ProxyHarness(DialogSettings dialogSettings, DialogOptions options, String... nextHops) {
        LocalInterfaces interfaces = new LocalInterfaces(List.of(
                new AbstractMap.SimpleImmutableEntry<>(TransportKind.UDP, PROXY),
                new AbstractMap.SimpleImmutableEntry<>(TransportKind.TCP, PROXY)), null);
        RouteRule rule = new RouteRule(0, new RouteMatch(java.util.Set.of("INVITE", "MESSAGE"), null, null, null, Map.of()),
                List.of(nextHops), options);
        List<URI> uris = new ArrayList<>();
        for (String hop : nextHops) {
            try {
                uris.add(new StringMsgParser().parseUrl(hop));
            } catch (ParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
        resolver = new TargetResolver(dnsLoop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60));
        routes = new Routes(new RouteTable(new Router(List.of(rule)), List.of(uris)));
        ProxyServices services = new ProxyServices(interfaces, routes,
                new LooseRouter(interfaces.identity()), new RecordRouter(), new BranchGenerator(), resolver,
                wire, timer, TIMERS, new ProxyMetrics(registry));
        dialogs = dialogSettings == null ? null : new DialogModule(dialogSettings, registry);
        hook = dialogs == null ? null : new TrackedDialogs(dialogs.newTracker(Runnable::run, timer,
                interfaces.identity(), () -> timer.now().toNanos()));
        ProxyEngine engine = new ProxyEngine(services, Runnable::run, hook == null ? DialogHook.NONE : hook, gate);
        layer = new TransactionLayer(TIMERS, timer, timer::nanoTime, Runnable::run, wire, engine);
        engine.bind(layer);
    }

    static SIPMessage parse(String text) {
        try {
            return new StringMsgParser().parseSIPMessage(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8),
                    true, false, null);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SIPRequest invite(String callId) {
        return (SIPRequest) parse("""
                INVITE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-uac-%1$s;rport
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-%1$s
                To: <sip:bob@127.0.0.1:5070>
                Call-ID: %1$s
                CSeq: 1 INVITE
                Contact: <sip:alice@127.0.0.1:5061>
                Content-Length: 0

                """.formatted(callId));
    }

    /** The UAC's CANCEL for {@code invite} (§9.1), as received off the wire. */
    static SIPRequest cancelOf(SIPRequest invite) {
        try {
            return (SIPRequest) parse(invite.createCancelRequest().encode().replace("\r\n", "\n"));
        } catch (SipException e) {
            throw new IllegalArgumentException(e);
        }
    }

    void receive(SIPMessage message, Flow flow) {
        layer.receive(message, flow);
    }

    /** Messages sent to {@code remote}, in order. */
    List<RecordingTransport.Sent> sentTo(InetSocketAddress remote) {
        return wire.sent().stream().filter(s -> s.flow().remote().equals(remote)).collect(Collectors.toList());
    }

    /** The last request of {@code method} sent to {@code remote}. */
    SIPRequest lastRequest(InetSocketAddress remote, String method) {
        List<RecordingTransport.Sent> to = sentTo(remote);
        for (int i = to.size() - 1; i >= 0; i--) {
            if (to.get(i).isRequest(method)) {
                return (SIPRequest) to.get(i).message();
            }
        }
        throw new AssertionError("no " + method + " sent to " + remote + "; sent: " + wire.sent());
    }

    /** Status codes of the responses sent to {@code remote}, in order. */
    List<Integer> statusesTo(InetSocketAddress remote) {
        return sentTo(remote).stream().map(RecordingTransport.Sent::status).filter(s -> s > 0).collect(Collectors.toList());
    }

    /** A response from the UAS to a request the proxy forwarded (the UAS echoes the Vias). */
    static SIPResponse answer(SIPRequest forwarded, int status, String toTag) {
        SIPResponse response = forwarded.createResponse(status);
        if (toTag != null) {
            try {
                response.getTo().setTag(toTag);
            } catch (ParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return (SIPResponse) parse(response.encode().replace("\r\n", "\n"));
    }

    void advance(Duration d) {
        timer.advance(d);
    }

    @Override
    public void close() {
        resolver.close();
        dnsLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

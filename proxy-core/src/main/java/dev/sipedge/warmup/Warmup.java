package dev.sipedge.warmup;

import dev.sipedge.dialog.CallRecords;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.logging.DiscardingLogger;
import dev.sipedge.proxy.DrainGate;
import dev.sipedge.proxy.LocalInterfaces;
import dev.sipedge.proxy.MessageIntake;
import dev.sipedge.proxy.ProxyMetrics;
import dev.sipedge.proxy.ProxyServices;
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
import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.address.URI;
import org.slf4j.Logger;

/**
 * Synthetic calls (INVITE, 180, 200, ACK, BYE, 200) run in memory through the same parser,
 * validator, transaction layer, proxy engine and encoder that real traffic uses, on private,
 * throwaway instances with a stand-in wire and timer; nothing leaves the process. It is the
 * whole-call benchmark's driver ({@code CallBenchmark}). The start-up warm-up no longer uses it:
 * its stand-ins taught the JIT types real traffic never brings ({@link SocketWarmup} says why),
 * so start-up runs its calls over loopback sockets; it shares this class's {@link Result} and
 * call records.
 */
public final class Warmup {
    private static final int BATCH = 1_000;
    /** The warm-up's end-of-call records: on, as the real ones are, and discarded. */
    static final String RECORDS_LOGGER = "sipedge.warmup.cdr";
    // Nothing binds these: calls in memory only need addresses that look like the bench's.
    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress UAC = new InetSocketAddress("127.0.0.1", 5061);
    private static final InetSocketAddress UAS = new InetSocketAddress("127.0.0.1", 5070);

    /** What a warm-up did: calls started, calls that completed with 200 to BYE, time taken. */
    public record Result(int started, int completed, Duration took) {
    }

    private Warmup() {
    }

    /**
     * Call records of synthetic calls on {@code log}, each ending 1 s to 10 min after its answer
     * as real calls do: a warm-up call lasts milliseconds, and its duration of 0.001 or 0 took
     * only the shortest paths of the double's formatting, which C2 then compiled again, and
     * at length, for the first real records (docs/performance.md).
     */
    static CallRecords syntheticRecords(Logger log) {
        return new CallRecords(log,
                () -> System.currentTimeMillis() + ThreadLocalRandom.current().nextLong(1_000, 600_000));
    }

    /**
     * Runs up to {@code calls} calls, stopping early once {@code maxTime} has passed. Each batch
     * of calls gets a fresh pipeline, so nothing it builds outlives the batch.
     */
    public static Result run(int calls, Duration maxTime, TransactionSettings transaction, TargetResolver resolver,
                             int maxMessageSize) {
        long start = System.nanoTime();
        long deadline = start + maxTime.toNanos();
        int started = 0;
        int completed = 0;
        try (DiscardingLogger records = DiscardingLogger.named(RECORDS_LOGGER)) {
            while (started < calls && System.nanoTime() < deadline) {
                int batch = Math.min(BATCH, calls - started);
                completed += runBatch(started, batch, transaction, resolver, maxMessageSize, records.logger());
                started += batch;
            }
        }
        return new Result(started, completed, Duration.ofNanos(System.nanoTime() - start));
    }

    private static int runBatch(int first, int count, TransactionSettings transaction, TargetResolver resolver,
                                int maxMessageSize, Logger records) {
        LoopbackWire wire = new LoopbackWire();
        LocalInterfaces interfaces = new LocalInterfaces(List.of(
                new AbstractMap.SimpleImmutableEntry<>(TransportKind.UDP, PROXY),
                new AbstractMap.SimpleImmutableEntry<>(TransportKind.TCP, PROXY)), null);
        String hop = "sip:127.0.0.1:" + UAS.getPort();
        URI hopUri;
        try {
            hopUri = new StringMsgParser().parseUrl(hop);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry());
        ProxyServices services = new ProxyServices(interfaces,
                new Router(List.of(new RouteRule(0, RouteMatch.ANY, List.of(hop), DialogOptions.TRACK))),
                List.of(List.of(hopUri)),
                new LooseRouter(interfaces.identity()), new RecordRouter(), new BranchGenerator(), resolver, wire,
                new InertTimer(), transaction, metrics);
        EventExecutor direct = ImmediateEventExecutor.INSTANCE;
        // Calls are tracked, so the dialog module's paths are compiled too; its meters go nowhere.
        DialogModule dialogs = new DialogModule(DialogSettings.defaults(), new SimpleMeterRegistry());
        dialogs.addListener(syntheticRecords(records));
        ShardedCore core = ShardedCore.wire(Shards.borrowing(List.of(direct)), services, dialogs, new DrainGate());
        MessageIntake intake = new MessageIntake(core.layers(), new RequestValidator(Set.of()), interfaces, wire,
                metrics);
        try (LoopbackPipeline pipeline = new LoopbackPipeline(Shards.borrowing(List.of(direct)), intake,
                maxMessageSize)) {
            WarmupPeers peers = new WarmupPeers(UAC, UAS, (datagram, from) -> pipeline.receive(datagram, from, PROXY));
            for (int i = first; i < first + count; i++) {
                peers.startCall(i);
                wire.drain(peers);
            }
            return peers.completed();
        } catch (ParseException e) {
            throw new IllegalStateException("warm-up peers could not parse what the proxy sent", e);
        }
    }
}

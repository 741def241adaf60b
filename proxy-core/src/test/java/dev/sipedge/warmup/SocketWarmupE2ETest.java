package dev.sipedge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.CallRecords;
import dev.sipedge.proxy.TargetResolver;
import dev.sipedge.transaction.TransactionSettings;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@Tag("e2e")
class SocketWarmupE2ETest {
    private NioEventLoopGroup dnsLoop;
    private TargetResolver resolver;

    @BeforeEach
    void resolver() {
        dnsLoop = new NioEventLoopGroup(1);
        resolver = new TargetResolver(dnsLoop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        resolver.close();
        dnsLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static ProxySettings settings(String hocon) {
        return ProxySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference())
                .resolve());
    }

    @Test
    void everySyntheticCallCompletesOverLoopbackSocketsAndNothingOutlivesTheRun() throws Exception {
        ProxySettings settings = settings("sipedge { listen = [\"udp:127.0.0.1:0\"], transport.io-threads = 2 }");

        Warmup.Result result = SocketWarmup.run(300, Duration.ofMinutes(1), settings, resolver);

        assertEquals(300, result.started());
        assertEquals(300, result.completed(), "INVITE, 180, 200, ACK, BYE, 200 through real sockets for every call");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().startsWith("sipedge-warmup-timer")),
                "the throwaway proxy's timer wheel is stopped");
    }

    @Test
    void syntheticCallsStayOutOfTheSipTraceEvenWhenItIsOn() throws Exception {
        Logger trace = (Logger) LoggerFactory.getLogger("sipedge.sip.trace");
        Level before = trace.getLevel();
        ListAppender<ILoggingEvent> traced = new ListAppender<>();
        traced.start();
        trace.addAppender(traced);
        trace.setLevel(Level.TRACE);
        try {
            Warmup.Result result = SocketWarmup.run(20, Duration.ofMinutes(1),
                    settings("sipedge { listen = [\"udp:127.0.0.1:0\"] }"), resolver);

            assertEquals(20, result.completed());
            assertEquals(List.of(), traced.list, "an operator's SIP trace shows real traffic only");
        } finally {
            trace.setLevel(before);
            trace.detachAppender(traced);
        }
    }

    @Test
    void syntheticCallsLeaveNoRecordAmongTheOperatorsCallRecords() throws Exception {
        Logger records = (Logger) LoggerFactory.getLogger(CallRecords.LOGGER);
        Logger warmupRecords = (Logger) LoggerFactory.getLogger(Warmup.RECORDS_LOGGER);
        ListAppender<ILoggingEvent> operatorSeen = new ListAppender<>();
        ListAppender<ILoggingEvent> warmupSeen = new ListAppender<>();
        operatorSeen.start();
        warmupSeen.start();
        records.addAppender(operatorSeen);
        warmupRecords.addAppender(warmupSeen);
        try {
            Warmup.Result result = SocketWarmup.run(20, Duration.ofMinutes(1),
                    settings("sipedge { listen = [\"udp:127.0.0.1:0\"] }"), resolver);

            assertEquals(20, result.completed());
            assertEquals(20, warmupSeen.list.size(), "each synthetic call was recorded, and the record discarded");
            assertEquals(List.of(), operatorSeen.list, "an operator's call records show real calls only");
        } finally {
            records.detachAppender(operatorSeen);
            warmupRecords.detachAppender(warmupSeen);
        }
    }

    @Test
    void theBrieferT4LeavesTheOtherTimersAsConfigured() {
        TransactionSettings configured = new TransactionSettings(Duration.ofMillis(250), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofMinutes(4));

        TransactionSettings warmup = SocketWarmup.lingerBriefly(configured);

        assertEquals(new TransactionSettings(Duration.ofMillis(250), Duration.ofSeconds(2), SocketWarmup.WARMUP_T4,
                Duration.ofMinutes(4)), warmup, "Timer K ends BYEs' transactions within the run; T1 paces the rest");
    }

    @Test
    void aWorkerPoolConfigurationWarmsUpTheSameWay() throws Exception {
        ProxySettings settings = settings("sipedge { listen = [\"udp:127.0.0.1:0\"], workers = 2 }");

        Warmup.Result result = SocketWarmup.run(100, Duration.ofMinutes(1), settings, resolver);

        assertEquals(100, result.completed(), "calls hop from the I/O loops to worker shards and back");
    }

    @Test
    void startsNoCallOnceTheTimeIsUp() throws Exception {
        ProxySettings settings = settings("sipedge { listen = [\"udp:127.0.0.1:0\"] }");

        Warmup.Result result = SocketWarmup.run(1_000, Duration.ZERO, settings, resolver);

        assertEquals(0, result.started(), "the deadline had passed before the first call");
    }
}

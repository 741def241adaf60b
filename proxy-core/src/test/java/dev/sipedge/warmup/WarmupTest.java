package dev.sipedge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sipedge.dialog.CallRecords;
import dev.sipedge.proxy.TargetResolver;
import dev.sipedge.transaction.TransactionSettings;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WarmupTest {

    @Test
    void everySyntheticCallCompletesThroughTheRealPipeline() {
        NioEventLoopGroup loop = new NioEventLoopGroup(1);
        try (TargetResolver resolver = new TargetResolver(loop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60))) {
            Warmup.Result result = Warmup.run(1_500, Duration.ofMinutes(1), TransactionSettings.DEFAULTS, resolver, 65535);
            assertEquals(1_500, result.started(), "two batches");
            assertEquals(1_500, result.completed(), "INVITE, 180, 200, ACK, BYE, 200 went through for every call");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void everyCallLeavesARecordOnTheWarmupsLoggerAndNoneOnTheOperators() {
        Logger warmupRecords = (Logger) LoggerFactory.getLogger(Warmup.RECORDS_LOGGER);
        Logger records = (Logger) LoggerFactory.getLogger(CallRecords.LOGGER);
        ListAppender<ILoggingEvent> warmupSeen = listening(warmupRecords);
        ListAppender<ILoggingEvent> operatorSeen = listening(records);
        NioEventLoopGroup loop = new NioEventLoopGroup(1);
        try (TargetResolver resolver = new TargetResolver(loop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60))) {
            Warmup.Result result = Warmup.run(40, Duration.ofMinutes(1), TransactionSettings.DEFAULTS, resolver, 65535);

            assertEquals(40, result.completed());
            assertEquals(40, warmupSeen.list.size(), "the record path ran for every call, as it will for real ones");
            assertTrue(warmupSeen.list.stream().map(WarmupTest::duration).allMatch(d -> d >= 1.0 && d <= 600.0),
                    "synthetic calls are recorded with the durations real ones have, not a few milliseconds");
            assertEquals(List.of(), operatorSeen.list, "an operator's call records show real calls only");
        } finally {
            warmupRecords.detachAppender(warmupSeen);
            records.detachAppender(operatorSeen);
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private static double duration(ILoggingEvent record) {
        return record.getKeyValuePairs().stream().filter(p -> p.key.equals("duration"))
                .mapToDouble(p -> (Double) p.value).findFirst().orElseThrow();
    }

    private static ListAppender<ILoggingEvent> listening(Logger logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    @Test
    void stopsAtTheTimeLimit() {
        NioEventLoopGroup loop = new NioEventLoopGroup(1);
        try (TargetResolver resolver = new TargetResolver(loop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60))) {
            Warmup.Result result = Warmup.run(1_000_000, Duration.ZERO, TransactionSettings.DEFAULTS, resolver, 65535);
            assertEquals(0, result.started(), "no batch starts once the deadline has passed");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}

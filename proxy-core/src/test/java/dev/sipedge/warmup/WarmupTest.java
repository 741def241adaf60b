package dev.sipedge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sipedge.proxy.TargetResolver;
import dev.sipedge.transaction.TransactionSettings;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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

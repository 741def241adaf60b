package dev.sipedge.benchmarks;

import dev.sipedge.proxy.TargetResolver;
import dev.sipedge.transaction.TransactionSettings;
import dev.sipedge.warmup.Warmup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One whole proxied call (INVITE, 180, 200, ACK, BYE, 200: six messages in, eight out) through
 * the real inbound pipeline, validator, transaction layer, proxy engine and encoder, on one
 * thread and without sockets: the CPU the proxy itself spends per call, minus syscalls and
 * thread hand-offs (compare with run-load.sh's proxy_cpu_ms_per_call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@org.openjdk.jmh.annotations.Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CallBenchmark {
    private static final int CALLS = 1_000;

    private NioEventLoopGroup loop;
    private TargetResolver resolver;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new NioEventLoopGroup(1);
        resolver = new TargetResolver(loop.next(), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        resolver.close();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int proxiedCall() {
        Warmup.Result result = Warmup.run(CALLS, Duration.ofMinutes(1), TransactionSettings.DEFAULTS, resolver, 65535);
        if (result.completed() != CALLS) {
            throw new IllegalStateException("calls did not complete: " + result);
        }
        return result.completed();
    }
}

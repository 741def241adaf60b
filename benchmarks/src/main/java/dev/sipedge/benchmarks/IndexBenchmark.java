package dev.sipedge.benchmarks;

import dev.sipedge.transport.MessageIndex;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the transport spends on a message before any parse: one scan of the header block into a
 * {@link MessageIndex} and the Call-ID that picks the call's owner, for the INVITE and the 200 of
 * {@link MessageBenchmark} (whose {@code parseInvite} is the full parse to compare with).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndexBenchmark {
    private byte[] invite;
    private int inviteHeaders;
    private byte[] ok;
    private int okHeaders;

    @Setup
    public void setUp() {
        invite = MessageBenchmark.INVITE.getBytes(StandardCharsets.UTF_8);
        inviteHeaders = MessageBenchmark.INVITE.indexOf("\r\n\r\n") + 4;
        ok = MessageBenchmark.OK.getBytes(StandardCharsets.UTF_8);
        okHeaders = MessageBenchmark.OK.indexOf("\r\n\r\n") + 4;
    }

    @Benchmark
    public MessageIndex.Outcome indexInvite() {
        return MessageIndex.of(invite, inviteHeaders);
    }

    @Benchmark
    public MessageIndex.Outcome indexOk() {
        return MessageIndex.of(ok, okHeaders);
    }

    /** What the transport does per message today: index, then read the Call-ID. */
    @Benchmark
    public String callIdOfInvite() {
        return ((MessageIndex.Indexed) MessageIndex.of(invite, inviteHeaders)).index().callId();
    }
}

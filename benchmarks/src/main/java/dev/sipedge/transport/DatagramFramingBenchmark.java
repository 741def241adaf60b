package dev.sipedge.transport;

import dev.sipedge.benchmarks.MessageBenchmark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the UDP decoder costs a received datagram before the parse: framing (the empty line and
 * Content-Length) and the copy the parser needs, for the bench's INVITE and 200 in a pooled
 * direct buffer as the epoll transport hands them over. In this package for the decoder's
 * package-private {@code decode}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DatagramFramingBenchmark {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5061);

    private SipDatagramDecoder decoder;
    private DatagramPacket invite;
    private DatagramPacket ok;
    private final List<Object> out = new ArrayList<>(1);

    @Setup
    public void setUp() {
        decoder = new SipDatagramDecoder(65_535, new SimpleMeterRegistry().counter("errors"),
                new SipMessageParser(), SipTrace.OFF);
        invite = packet(MessageBenchmark.INVITE);
        ok = packet(MessageBenchmark.OK);
    }

    private static DatagramPacket packet(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return new DatagramPacket(buf, LOCAL, PEER);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        invite.release();
        ok.release();
    }

    @Benchmark
    public Object frameInvite() {
        out.clear();
        decoder.decode(null, invite, out);
        return out.get(0);
    }

    @Benchmark
    public Object frameOk() {
        out.clear();
        decoder.decode(null, ok, out);
        return out.get(0);
    }
}

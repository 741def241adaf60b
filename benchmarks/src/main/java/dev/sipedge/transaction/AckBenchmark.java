package dev.sipedge.transaction;

import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
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
 * The ACK the proxy sends a callee for its failure (RFC 3261 §17.1.1.3), as the bytes that go out:
 * written as text ({@link AckBuilder}) against built as a message of cloned headers and encoded
 * as the transport encodes ({@link BuiltAck}, the way before). In the transaction's package
 * because {@link AckBuilder} is package-private there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AckBenchmark {
    /** The SIPp INVITE as the proxy forwards it: our Via on top, Max-Forwards 69, our Record-Route. */
    private static final String FORWARDED_INVITE = "INVITE sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sipedge-1a2b3c;rport\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bench-1;rport=5061;received=127.0.0.1\r\n"
            + "Record-Route: <sip:127.0.0.1:5060;lr;did=n1.1>\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=12345SIPpTag001\r\n"
            + "To: bob <sip:bob@127.0.0.1:5070>\r\n"
            + "Call-ID: 1-12345@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:sipp@127.0.0.1:5061;transport=UDP>\r\n"
            + "Max-Forwards: 69\r\n"
            + "Subject: Performance Test\r\n"
            + "Content-Length: 0\r\n\r\n";

    private static final String BUSY = "SIP/2.0 486 Busy Here\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sipedge-1a2b3c;rport=5060\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bench-1;rport=5061;received=127.0.0.1\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=12345SIPpTag001\r\n"
            + "To: bob <sip:bob@127.0.0.1:5070>;tag=67890SIPpTag011\r\n"
            + "Call-ID: 1-12345@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";

    private SIPRequest invite;
    private SIPResponse busy;

    @Setup
    public void setUp() {
        invite = (SIPRequest) LoopbackPipeline.parse(FORWARDED_INVITE.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        busy = (SIPResponse) LoopbackPipeline.parse(BUSY.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    @Benchmark
    public byte[] writeAck() {
        return AckBuilder.forNon2xx(invite, busy);
    }

    @Benchmark
    public byte[] buildAndEncodeAck() {
        return LoopbackPipeline.encode(BuiltAck.of(invite, busy));
    }
}

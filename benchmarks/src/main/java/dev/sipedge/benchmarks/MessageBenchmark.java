package dev.sipedge.benchmarks;

import dev.sipedge.transport.LoopbackPipeline;
import dev.sipedge.transport.ParseDefects;
import dev.sipedge.transport.ReceivedBytes;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
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
 * The two per-message costs docs/performance.md names first: parsing an INVITE as the transport
 * does (JAIN-SIP plus {@link ParseDefects}) and encoding it back to bytes; and a relayed response
 * on its received bytes against the same response encoded again; a forwarded INVITE written as
 * its received bytes with the forwarding edits against the same request encoded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageBenchmark {
    public static final String INVITE = "INVITE sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bench-1;rport\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=12345SIPpTag001\r\n"
            + "To: bob <sip:bob@127.0.0.1:5070>\r\n"
            + "Call-ID: 1-12345@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:sipp@127.0.0.1:5061;transport=UDP>\r\n"
            + "Max-Forwards: 70\r\n"
            + "Subject: Performance Test\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 129\r\n\r\n"
            + "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    /** A callee's 200 to that INVITE as it reaches the proxy: our Via on top, SDP, Record-Route. */
    public static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sipedge-1a2b3c;rport=5060\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bench-1;rport=5061;received=127.0.0.1\r\n"
            + "Record-Route: <sip:127.0.0.1:5060;lr;did=n1.1>\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=12345SIPpTag001\r\n"
            + "To: bob <sip:bob@127.0.0.1:5070>;tag=67890SIPpTag011\r\n"
            + "Call-ID: 1-12345@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:127.0.0.1:5070;transport=UDP>\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 129\r\n\r\n"
            + "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private byte[] bytes;
    private byte[] okBytes;
    private SIPMessage parsed;
    private SIPRequest forwardedOnBytes;
    private SIPRequest forwardedObject;

    @Setup
    public void setUp() throws Exception {
        bytes = INVITE.getBytes(StandardCharsets.UTF_8);
        okBytes = OK.getBytes(StandardCharsets.UTF_8);
        parsed = ParseDefects.parse(bytes, new ParseDefects());
        forwardedOnBytes = forwarded();
        forwardedObject = forwarded();
        ReceivedBytes.forget(forwardedObject);
    }

    /** The INVITE as the proxy forwards it: Max-Forwards 69, our Record-Route with a did, our Via on top. */
    private SIPRequest forwarded() throws Exception {
        SIPRequest copy = (SIPRequest) LoopbackPipeline.parse(bytes).orElseThrow().clone();
        ((MaxForwards) copy.getMaxForwards()).decrementMaxForwards();
        HeaderFactoryImpl headers = new HeaderFactoryImpl();
        copy.addFirst(headers.createRecordRouteHeader(
                new AddressFactoryImpl().createAddress("<sip:127.0.0.1:5060;lr;did=n1.1>")));
        Via ours = (Via) headers.createViaHeader("127.0.0.1", 5060, "UDP", "z9hG4bK-sipedge-1a2b3c");
        ours.setRPort();
        copy.getViaHeaders().addFirst(ours);
        return copy;
    }

    @Benchmark
    public SIPMessage parseInvite() throws ParseException {
        return ParseDefects.parse(bytes, new ParseDefects());
    }

    /** The INVITE as the transport parses it: the plain headers first, JAIN-SIP for the rest. */
    @Benchmark
    public Object parseInviteAsTransport() {
        return LoopbackPipeline.parse(bytes);
    }

    /** The 200 as the transport parses it (two Vias, Record-Route, SDP). */
    @Benchmark
    public Object parseOkAsTransport() {
        return LoopbackPipeline.parse(okBytes);
    }

    @Benchmark
    public byte[] encodeInvite() {
        return LoopbackPipeline.encode(parsed);
    }

    /** The forwarded INVITE written as its received bytes with the forwarding edits. */
    @Benchmark
    public byte[] writeForwardedInviteOnBytes() {
        return LoopbackPipeline.encode(forwardedOnBytes);
    }

    /** The same forwarded INVITE encoded from its object, as every request was before. */
    @Benchmark
    public byte[] writeForwardedInviteEncoded() {
        return LoopbackPipeline.encode(forwardedObject);
    }

    /** A relayed 200: parsed, our Via removed from the object and from its bytes, the bytes sent. */
    @Benchmark
    public byte[] relayResponseOnBytes() {
        return relay(false);
    }

    /** The same 200 relayed the old way: the edited object encoded again. */
    @Benchmark
    public byte[] relayResponseEncoded() {
        return relay(true);
    }

    private byte[] relay(boolean encode) {
        SIPResponse response = (SIPResponse) LoopbackPipeline.parse(okBytes).orElseThrow();
        Via ours = (Via) response.getViaHeaders().getFirst();
        response.getViaHeaders().removeFirst();
        ReceivedBytes.topViaRemoved(response, ours);
        if (encode) {
            ReceivedBytes.forget(response);
        }
        return LoopbackPipeline.encode(response);
    }
}

package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.TRICKY_BODY;
import static dev.sipedge.transport.SipFixtures.bytes;
import static dev.sipedge.transport.SipFixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Framing over a stream (RFC 3261 §18.3), in the manner of Netty's HttpRequestDecoderTest. */
class SipStreamDecoderTest {

    private static final int MAX = 1500;

    private Counter parseErrors;
    private SipStreamDecoder decoder;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        parseErrors = new SimpleMeterRegistry().counter("errors");
        decoder = new SipStreamDecoder(MAX, parseErrors, new SipMessageParser(), SipTrace.OFF);
        channel = parsing(decoder);
    }

    /**
     * The decoder followed by what the dispatcher does first on the owning shard: parse. The
     * tests read the parse outcome ({@code SIPMessage} or {@link DecodeFailure}).
     */
    private static EmbeddedChannel parsing(SipStreamDecoder decoder) {
        return new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ParseOutcome content = ((InboundMessage) msg).content();
                if (content instanceof ParseOutcome.Parsed parsed) {
                    ctx.fireChannelRead(parsed.message());
                } else if (content instanceof DecodeFailure) {
                    ctx.fireChannelRead(content);
                }
            }
        });
    }

    @Test
    void decodesAWholeMessageWithBody() {
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(request("INVITE", "c1", TRICKY_BODY)))));
        SIPRequest request = channel.readInbound();
        assertEquals("INVITE", request.getMethod());
        assertEquals("c1", request.getCallId().getCallId());
        assertArrayEquals(bytes(TRICKY_BODY), request.getRawContent());
        assertNull(channel.readInbound());
        assertEquals(0, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void decodesAMessageSplitAtEveryByteBoundary() {
        byte[] message = bytes(request("INVITE", "c2", TRICKY_BODY));
        for (int split = 1; split < message.length; split++) {
            EmbeddedChannel ch = parsing(
                    new SipStreamDecoder(MAX, parseErrors, new SipMessageParser(), SipTrace.OFF));
            assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(message, 0, split)), "nothing before the end, split " + split);
            assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(message, split, message.length - split)), "split " + split);
            SIPRequest request = ch.readInbound();
            assertEquals("c2", request.getCallId().getCallId());
            assertArrayEquals(bytes(TRICKY_BODY), request.getRawContent(), "split " + split);
            assertFalse(ch.finish());
        }
        assertEquals(0, parseErrors.count());
    }

    @Test
    void decodesMessagesOneByteAtATime() {
        byte[] message = bytes(request("OPTIONS", "c3", "") + "\r\n\r\n" + request("BYE", "c4", "x"));
        for (byte b : message) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals("OPTIONS", ((SIPRequest) channel.readInbound()).getMethod());
        assertEquals("BYE", ((SIPRequest) channel.readInbound()).getMethod());
        assertPong();
        assertFalse(channel.finish());
    }

    /**
     * Pipelined messages arriving in chunks of every size from 1 to 300 bytes: between reads the
     * decoder's cumulation buffer is compacted, which must not lose or merge messages (a resume
     * index kept as an absolute position once swallowed the next message as a body).
     */
    @Test
    void pipelinedMessagesSurviveBufferCompactionBetweenReads() {
        String stream = request("INVITE", "p1", TRICKY_BODY) + request("MESSAGE", "p2", "hello")
                + request("BYE", "p3", "") + request("OPTIONS", "p4", "");
        byte[] bytes = bytes(stream);
        for (int chunk = 1; chunk <= 300; chunk++) {
            EmbeddedChannel ch = parsing(
                    new SipStreamDecoder(MAX, parseErrors, new SipMessageParser(), SipTrace.OFF));
            for (int at = 0; at < bytes.length; at += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
            }
            for (String callId : new String[] {"p1", "p2", "p3", "p4"}) {
                SIPRequest request = ch.readInbound();
                assertEquals(callId, request == null ? null : request.getCallId().getCallId(), "chunk size " + chunk);
            }
            assertNull(ch.readInbound(), "chunk size " + chunk);
            assertFalse(ch.finish());
        }
        assertEquals(0, parseErrors.count());
    }

    @Test
    void decodesTwoMessagesInOneBuffer() {
        String two = request("INVITE", "c5", TRICKY_BODY) + request("ACK", "c6", "");
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(two))));
        assertEquals("c5", ((SIPRequest) channel.readInbound()).getCallId().getCallId());
        assertEquals("c6", ((SIPRequest) channel.readInbound()).getCallId().getCallId());
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void answersKeepAlivePingsBeforeAndBetweenMessages() {
        String stream = "\r\n\r\n" + request("OPTIONS", "c7", "") + "\r\n\r\n" + "\r\n\r\n" + request("OPTIONS", "c8", "");
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(stream))));
        assertEquals("c7", ((SIPRequest) channel.readInbound()).getCallId().getCallId());
        assertEquals("c8", ((SIPRequest) channel.readInbound()).getCallId().getCallId());
        assertPong();
        assertPong();
        assertPong();
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }

    @Test
    void pingSplitAcrossReadsIsStillAnswered() {
        assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(bytes("\r\n"))));
        assertNull(channel.readOutbound());
        assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(bytes("\r\n"))));
        assertPong();
        assertTrue(channel.isActive());
        assertFalse(channel.finish());
    }

    @Test
    void loneLeadingCrlfIsIgnoredWithoutAnswer() {
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes("\r\n" + request("OPTIONS", "c9", "")))));
        assertEquals("c9", ((SIPRequest) channel.readInbound()).getCallId().getCallId());
        assertNull(channel.readOutbound(), "a pong (CRLF) is not answered, or two peers would ping-pong forever");
        assertFalse(channel.finish());
    }

    @Test
    void missingContentLengthIsMalformedAndCloses() {
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(request("INVITE", "c10", "", null)))));
        DecodeFailure failure = channel.readInbound();
        assertTrue(failure.reason().contains("Content-Length"), failure.reason());
        SIPRequest partial = assertInstanceOf(SIPRequest.class, failure.partial());
        assertEquals("c10", partial.getCallId().getCallId());
        channel.runPendingTasks();
        assertFalse(channel.isActive());
        assertEquals(SipStreamDecoder.State.DISCARDING, decoder.state());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void badContentLengthIsMalformedAndCloses() {
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(request("INVITE", "c11", "", "12abc")))));
        DecodeFailure failure = channel.readInbound();
        assertEquals("bad Content-Length", failure.reason());
        channel.runPendingTasks();
        assertFalse(channel.isActive());
        assertFalse(channel.finish());
    }

    @Test
    void oversizedBodyGets513ThenClose() {
        String big = "x".repeat(MAX);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(request("MESSAGE", "c12", big))));
        assertNull(channel.readInbound());
        String answer = readOutboundText();
        assertTrue(answer.startsWith("SIP/2.0 513 "), answer);
        assertTrue(answer.contains("Call-ID: c12"), answer);
        assertFalse(channel.isActive());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void oversizedHeadersWithoutAddressableRequestJustClose() {
        String endless = "INVITE sip:bob@example.com SIP/2.0\r\nX-Filler: " + "y".repeat(MAX) + "\r\n";
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(endless)));
        assertNull(channel.readInbound());
        assertNull(channel.readOutbound());
        assertFalse(channel.isActive());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void oversizedHeadersAfterTheMandatoryOnesGet513() {
        String head = request("INVITE", "c13", "").replace("\r\n\r\n", "\r\n");
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(head + "X-Filler: " + "y".repeat(MAX) + "\r\n")));
        assertTrue(readOutboundText().startsWith("SIP/2.0 513 "));
        assertFalse(channel.isActive());
        assertFalse(channel.finish());
    }

    @Test
    void discardsEverythingAfterAFramingError() {
        String stream = request("INVITE", "c14", "", null) + request("OPTIONS", "c15", "");
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(stream))));
        assertInstanceOf(DecodeFailure.class, channel.readInbound());
        assertNull(channel.readInbound(), "nothing is framed after the framing is lost");
        assertEquals(SipStreamDecoder.State.DISCARDING, decoder.state());
        assertFalse(channel.finish());
    }

    @Test
    void badHeaderIsReportedByNameAndKeepsTheConnection() {
        String bad = request("INVITE", "c16", "").replace("CSeq: 1 INVITE", "CSeq: one INVITE");
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(bad + request("OPTIONS", "c17", "")))));
        DecodeFailure failure = channel.readInbound();
        assertTrue(failure.reason().contains("CSeq"), failure.reason());
        assertEquals("c16", ((SIPRequest) failure.partial()).getCallId().getCallId());
        assertEquals("c17", ((SIPRequest) channel.readInbound()).getCallId().getCallId());
        assertTrue(channel.isActive());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void binaryJunkWithAFrameIsMalformedNotFatal() {
        byte[] junk = new byte[64];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 37 + 11);
        }
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(junk).writeBytes(bytes("\r\nContent-Length: 0\r\n\r\n"));
        channel.writeInbound(in);
        DecodeFailure failure = channel.readInbound();
        assertTrue(failure.reason() != null && !failure.reason().isEmpty());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void binaryJunkWithoutAFrameClosesAtTheLimit() {
        byte[] junk = new byte[MAX + 10];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) ((i * 31 + 7) | 0x80);   // never CR or LF
        }
        channel.writeInbound(Unpooled.wrappedBuffer(junk));
        assertNull(channel.readInbound());
        assertFalse(channel.isActive());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void compactContentLengthFrames() {
        String compact = request("MESSAGE", "c18", "hello", null).replace("Max-Forwards", "l: 5\r\nMax-Forwards");
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes(compact + "OPTIONS"))));
        SIPRequest request = channel.readInbound();
        assertArrayEquals(bytes("hello"), request.getRawContent());
        assertEquals(SipStreamDecoder.State.READ_HEADERS, decoder.state());
        assertFalse(channel.finishAndReleaseAll() && channel.readInbound() != null);
    }

    private void assertPong() {
        ByteBuf pong = channel.readOutbound();
        assertEquals("\r\n", pong.toString(StandardCharsets.US_ASCII));
        pong.release();
    }

    private String readOutboundText() {
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }
}

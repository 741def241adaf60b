package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.TRICKY_BODY;
import static dev.sipedge.transport.SipFixtures.bytes;
import static dev.sipedge.transport.SipFixtures.message;
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
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One datagram, one message (RFC 3261 §18.3), in the manner of Netty's DatagramPacketDecoderTest. */
class SipDatagramDecoderTest {

    private static final int MAX = 1500;
    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress RECIPIENT = new InetSocketAddress("127.0.0.1", 5060);

    private Counter parseErrors;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        parseErrors = new SimpleMeterRegistry().counter("errors");
        channel = new EmbeddedChannel(new SipDatagramDecoder(MAX, parseErrors, new SipMessageParser(), SipTrace.OFF));
    }

    private boolean receive(String text) {
        return channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(text)), RECIPIENT, SENDER));
    }

    @Test
    void decodesADatagramAndKeepsTheSender() {
        assertTrue(receive(request("INVITE", "d1", TRICKY_BODY)));
        InboundMessage datagram = channel.readInbound();
        assertEquals(SENDER, datagram.sender());
        SIPRequest request = assertInstanceOf(SIPRequest.class, message(datagram.content()));
        assertArrayEquals(bytes(TRICKY_BODY), request.getRawContent());
        assertEquals(0, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void contentLengthSmallerThanTheBodyTruncatesIt() {
        assertTrue(receive(request("MESSAGE", "d2", "hello world", "5")));
        SIPRequest request = (SIPRequest) message(((InboundMessage) channel.readInbound()).content());
        assertArrayEquals(bytes("hello"), request.getRawContent());
        assertEquals(5, request.getContentLength().getContentLength());
        assertFalse(channel.finish());
    }

    @Test
    void contentLengthLargerThanTheDatagramIsMalformed() {
        assertTrue(receive(request("MESSAGE", "d3", "hello", "50")));
        DecodeFailure failure = (DecodeFailure) ((InboundMessage) channel.readInbound()).content();
        assertTrue(failure.reason().startsWith("Content-Length 50 larger"), failure.reason());
        assertEquals("d3", ((SIPRequest) failure.partial()).getCallId().getCallId());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void missingContentLengthTakesTheRestAsBody() {
        assertTrue(receive(request("MESSAGE", "d4", "all of it\r\n", null)));
        SIPRequest request = (SIPRequest) message(((InboundMessage) channel.readInbound()).content());
        assertArrayEquals(bytes("all of it\r\n"), request.getRawContent());
        assertFalse(channel.finish());
    }

    @Test
    void crlfKeepAlivesAreIgnored() {
        assertFalse(receive("\r\n\r\n"));
        assertFalse(receive("\r\n"));
        assertNull(channel.readOutbound());
        assertEquals(0, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void badHeaderNamesTheHeader() {
        assertTrue(receive(request("INVITE", "d5", "").replace("Max-Forwards: 70", "Max-Forwards: seventy")));
        DecodeFailure failure = (DecodeFailure) ((InboundMessage) channel.readInbound()).content();
        assertTrue(failure.reason().contains("Max-Forwards"), failure.reason());
        assertEquals("d5", ((SIPRequest) failure.partial()).getCallId().getCallId());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void binaryJunkIsCountedAndTheChannelStaysOpen() {
        byte[] junk = new byte[200];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 13 + 5);
        }
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(junk), RECIPIENT, SENDER));
        Object decoded = channel.readInbound();
        if (decoded != null) {
            assertInstanceOf(DecodeFailure.class, ((InboundMessage) decoded).content());
        }
        assertEquals(1, parseErrors.count());
        assertTrue(channel.isActive());
        assertTrue(receive(request("OPTIONS", "d6", "")), "the next datagram is still decoded");
        assertInstanceOf(SIPRequest.class, message(((InboundMessage) channel.readInbound()).content()));
        assertFalse(channel.finish());
    }

    @Test
    void oversizedDatagramGets513AtTheRportAddress() {
        assertFalse(receive(request("MESSAGE", "d7", "z".repeat(MAX))));
        DatagramPacket answer = channel.readOutbound();
        try {
            String text = answer.content().toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("SIP/2.0 513 "), text);
            assertTrue(text.contains("rport=40000"), text);
            assertEquals(SENDER, answer.recipient(), "rport + received send it back to the source (RFC 3581)");
        } finally {
            answer.release();
        }
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }

    @Test
    void oversizedResponseIsDroppedSilently() {
        String response = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx\r\nContent-Length: "
                + MAX + "\r\n\r\n" + "r".repeat(MAX);
        assertFalse(receive(response));
        assertNull(channel.readOutbound());
        assertEquals(1, parseErrors.count());
        assertFalse(channel.finish());
    }
}

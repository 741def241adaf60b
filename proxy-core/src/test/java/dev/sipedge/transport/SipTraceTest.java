package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.bytes;
import static dev.sipedge.transport.SipFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * The SIP trace on an in-memory UDP pipeline (trace handler + datagram decoder, as the transport
 * builds it): one event per message in and out, with direction, transport and addresses as
 * key-value pairs and the message text; nothing when the logger is off; no keep-alives.
 */
class SipTraceTest {

    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress RECIPIENT = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress NEXT_HOP = new InetSocketAddress("127.0.0.1", 5070);

    private Logger logger;
    private ListAppender<ILoggingEvent> events;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        logger = new LoggerContext().getLogger(SipTrace.LOGGER);
        logger.setLevel(Level.TRACE);
        events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        SipTrace trace = new SipTrace(logger);
        channel = new EmbeddedChannel(trace, new SipDatagramDecoder(1500,
                new SimpleMeterRegistry().counter("errors"), new SipMessageParser(), trace));
    }

    @Test
    void aReceivedDatagramIsTracedWithItsAddressesAndText() {
        String invite = request("INVITE", "trace-1", "");
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(invite)), RECIPIENT, SENDER));

        assertEquals(1, events.list.size(), () -> events.list.toString());
        ILoggingEvent event = events.list.get(0);
        assertEquals(Level.TRACE, event.getLevel());
        assertEquals(Map.of("direction", "in", "transport", "udp", "local", "127.0.0.1:5060",
                "remote", "127.0.0.1:40000"), pairs(event));
        String text = event.getFormattedMessage();
        assertTrue(text.startsWith("in udp 127.0.0.1:5060 <- 127.0.0.1:40000, " + bytes(invite).length + " bytes\n"),
                text);
        assertTrue(text.endsWith(invite), text);
        channel.finishAndReleaseAll();
    }

    @Test
    void aSentDatagramIsTracedWithItsDestination() {
        String invite = request("INVITE", "trace-2", "v=0\r\n");
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(invite)), NEXT_HOP));

        assertEquals(1, events.list.size(), () -> events.list.toString());
        ILoggingEvent event = events.list.get(0);
        assertEquals("out", pairs(event).get("direction"));
        assertEquals("127.0.0.1:5070", pairs(event).get("remote"));
        assertTrue(event.getFormattedMessage().endsWith(invite), event.getFormattedMessage());
        DatagramPacket written = channel.readOutbound();
        assertEquals(invite, written.content().toString(StandardCharsets.UTF_8),
                "the trace must not consume what it logs");
        written.release();
        assertFalse(channel.finish());
    }

    @Test
    void keepAlivesAreNotTraced() {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes("\r\n\r\n")), RECIPIENT, SENDER));
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes("\r\n")), NEXT_HOP));
        assertTrue(events.list.isEmpty(), () -> events.list.toString());
        channel.finishAndReleaseAll();
    }

    @Test
    void nothingIsLoggedWhenTheLoggerIsOff() {
        logger.setLevel(Level.OFF);
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(request("BYE", "trace-3", ""))),
                RECIPIENT, SENDER));
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes(request("BYE", "trace-3", ""))),
                NEXT_HOP));
        assertTrue(events.list.isEmpty(), () -> events.list.toString());
        channel.finishAndReleaseAll();
    }

    private static Map<String, String> pairs(ILoggingEvent event) {
        Map<String, String> out = new TreeMap<>();
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                out.put(pair.key, String.valueOf(pair.value));
            }
        }
        return out;
    }
}

package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The real UDP inbound pipeline (framing, parsing, received/rport, dispatch) on an in-memory
 * channel, and the real encoder: what the start-up warm-up pushes synthetic calls through, so
 * that the JIT has compiled these paths before the first real datagram arrives. Single-threaded;
 * nothing here touches a socket.
 */
public final class LoopbackPipeline implements AutoCloseable {
    private final EmbeddedChannel channel;

    public LoopbackPipeline(CallOwners owners, InboundHandler handler, int maxMessageSize) {
        Counter parseErrors = Counter.builder(SipTransport.PARSE_ERRORS_METER).register(new SimpleMeterRegistry());
        channel = new EmbeddedChannel(new SipDatagramDecoder(maxMessageSize, parseErrors, new SipMessageParser(),
                SipTrace.OFF),
                new InboundDispatcher(owners, handler));
    }

    /** Delivers one datagram from {@code sender} to {@code recipient}, synchronously. */
    public void receive(byte[] datagram, InetSocketAddress sender, InetSocketAddress recipient) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), recipient, sender));
    }

    /**
     * One framed message framed and parsed as the transport does it (a clean message with its
     * {@link ReceivedBytes}); empty for a message framing refuses, a parse failure or a blank
     * (keep-alive), which the transport does not hand on as a message.
     */
    public static Optional<SIPMessage> parse(byte[] framed) {
        return SipFraming.frame(framed) instanceof SipFraming.Framed frame
                && new SipMessageParser().parse(framed, frame) instanceof ParseOutcome.Parsed parsed
                ? Optional.of(parsed.message()) : Optional.empty();
    }

    /** The bytes the transport would put on the wire for {@code message}. */
    public static byte[] encode(SIPMessage message) {
        ByteBuf buf = SipEncoder.encode(message, UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}

package dev.sipedge.transport;

import dev.sipedge.logging.SilentLoggers;
import dev.sipedge.transaction.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ByteProcessor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP trace: every message received and sent, as it is on the wire, on the logger
 * {@value #LOGGER} at TRACE (OFF in the shipped logback files). One event per message; its text is
 * a summary line ({@code in udp 127.0.0.1:5060 <- 10.0.0.7:5062, 612 bytes}) then the message,
 * and it carries the key-value pairs {@code direction}, {@code transport}, {@code local},
 * {@code remote}, which the JSON log format writes as fields.
 *
 * <p>Received messages are reported by the decoders (a datagram as it arrived, a stream message
 * once framed); sent ones by this handler, first in every pipeline, so it sees each write,
 * local responses and 513s included, as the event loop hands it to the socket. CRLF keep-alives
 * are not SIP messages and are left out.
 *
 * <p>Off, a message costs one {@code isTraceEnabled()} check. On, the text is built on the event
 * loop (Logback formats a deferred event on the logging thread), so the shipped configuration
 * routes this logger through sipedge's {@code BatchingConsoleAppender}: the event loop only
 * queues the event, the write happens on the appender's worker, and a full queue drops trace
 * lines instead of stalling the loop.
 */
@ChannelHandler.Sharable
final class SipTrace extends ChannelOutboundHandlerAdapter {

    /** The logger name operators switch on. */
    static final String LOGGER = "sipedge.sip.trace";
    /**
     * A trace that never logs: the warm-up's synthetic calls are not traffic. Its logger is of the
     * real trace's class ({@link SilentLoggers}), so the code the warm-up compiles stays valid.
     */
    static final SipTrace OFF = new SipTrace(SilentLoggers.named(LOGGER + ".off"));

    private final Logger log;

    SipTrace(Logger log) {
        this.log = log;
    }

    /** The trace on {@value #LOGGER}. */
    static SipTrace standard() {
        return new SipTrace(LoggerFactory.getLogger(LOGGER));
    }

    /** A message received: {@code length} bytes of {@code buf} from {@code offset}. */
    void received(TransportKind transport, SocketAddress local, SocketAddress remote, ByteBuf buf, int offset,
                  int length) {
        if (log.isTraceEnabled()) {
            emit("in", transport, local, remote, buf.toString(offset, length, StandardCharsets.UTF_8), length);
        }
    }

    /** A message received as a byte array (a framed stream message). */
    void received(TransportKind transport, SocketAddress local, SocketAddress remote, byte[] bytes) {
        if (log.isTraceEnabled()) {
            emit("in", transport, local, remote, new String(bytes, StandardCharsets.UTF_8), bytes.length);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (log.isTraceEnabled()) {
            if (msg instanceof DatagramPacket packet) {
                sent(TransportKind.UDP, ctx.channel().localAddress(), packet.recipient(), packet.content());
            } else if (msg instanceof ByteBuf buf) {
                sent(TransportKind.TCP, ctx.channel().localAddress(), ctx.channel().remoteAddress(), buf);
            }
        }
        ctx.write(msg, promise);
    }

    private void sent(TransportKind transport, SocketAddress local, SocketAddress remote, ByteBuf buf) {
        if (buf.forEachByte(ByteProcessor.FIND_NON_CRLF) < 0) {
            return;   // a keep-alive pong
        }
        int length = buf.readableBytes();
        emit("out", transport, local, remote, buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8), length);
    }

    private void emit(String direction, TransportKind transport, SocketAddress local, SocketAddress remote,
                      String text, int length) {
        String kind = transport.name().toLowerCase(Locale.ROOT);
        String localText = address(local);
        String remoteText = address(remote);
        log.atTrace()
                .addKeyValue("direction", direction)
                .addKeyValue("transport", kind)
                .addKeyValue("local", localText)
                .addKeyValue("remote", remoteText)
                .log("{} {} {} {} {}, {} bytes\n{}", direction, kind, localText, "in".equals(direction) ? "<-" : "->",
                        remoteText, length, text);
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}

package dev.sipedge.transport;

import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames one datagram as one SIP message (RFC 3261 §18.3 for unreliable transports) and emits an
 * {@link InboundMessage}: the framed bytes, parsed on first use (on the owning shard), or a
 * {@link DecodeFailure} when framing already failed, with the sender.
 * Stateless and {@link Sharable}: one instance serves every UDP channel.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>datagram</th><th>reaction</th></tr>
 *   <tr><td>only CR/LF (keep-alive)</td><td>ignored</td></tr>
 *   <tr><td>no Content-Length</td><td>body is the rest of the datagram</td></tr>
 *   <tr><td>Content-Length smaller than the rest</td><td>body truncated to Content-Length</td></tr>
 *   <tr><td>Content-Length larger than the rest, or unparsable</td><td>counted, {@link DecodeFailure}</td></tr>
 *   <tr><td>no blank line after the headers, unparsable</td><td>counted, {@link DecodeFailure}</td></tr>
 *   <tr><td>over {@code maxMessageSize}</td><td>counted, 513 to the response address when the
 *       headers allow one (RFC 3261 §21.5.14), else dropped</td></tr>
 * </table>
 *
 * <p>An exception concerns one datagram only; nothing here closes the channel (STYLE.md §2.7).
 */
@ChannelHandler.Sharable
final class SipDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(SipDatagramDecoder.class);

    private final int maxMessageSize;
    private final Counter parseErrors;
    private final SipMessageParser parser;
    private final SipTrace trace;

    SipDatagramDecoder(int maxMessageSize, Counter parseErrors, SipMessageParser parser, SipTrace trace) {
        this.maxMessageSize = maxMessageSize;
        this.parseErrors = parseErrors;
        this.parser = parser;
        this.trace = trace;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf buf = packet.content();
        int start = buf.forEachByte(ByteProcessor.FIND_NON_CRLF);
        if (start < 0) {
            return;   // CRLF keep-alive (RFC 5626 §4.4.1 uses STUN on UDP, but CRLF is common too)
        }
        int to = buf.writerIndex();
        trace.received(TransportKind.UDP, packet.recipient(), packet.sender(), buf, start, to - start);
        if (to - start > maxMessageSize) {
            tooLarge(ctx, buf, start, packet.sender());
            return;
        }
        // framed on the copy the parser needs anyway: plain array reads, one pass over the lines
        byte[] bytes = ByteBufUtil.getBytes(buf, start, to - start);
        SipFraming.Frame frame = SipFraming.frame(bytes);
        DecodeFailure failure;
        if (frame instanceof SipFraming.Framed framed) {
            int headerEnd = framed.headerEnd();
            int available = bytes.length - headerEnd;
            int bodyLength = framed.contentLength().orElse(available);
            if (bodyLength <= available) {
                byte[] message = bodyLength == available ? bytes : Arrays.copyOf(bytes, headerEnd + bodyLength);
                // parsed later, on the shard that owns the call (InboundMessage)
                out.add(InboundMessage.framed(TransportKind.UDP, message, framed, packet.sender(), parser,
                        parseErrors));
                return;
            }
            failure = failure(Arrays.copyOf(bytes, headerEnd),
                    "Content-Length " + bodyLength + " larger than the " + available + " body bytes received");
        } else if (frame instanceof SipFraming.BadContentLength bad) {
            failure = failure(Arrays.copyOf(bytes, bad.headerEnd()), "bad Content-Length");
        } else {
            failure = failure(bytes, "no blank line after the headers");
        }
        out.add(InboundMessage.failed(TransportKind.UDP, failure, packet.sender()));
    }

    /** Counts the error and keeps what the header bytes parse to, for a 400 (§21.4.1). */
    private DecodeFailure failure(byte[] headerBytes, String reason) {
        parseErrors.increment();
        return new DecodeFailure(parser.parseHeaders(headerBytes), reason);
    }

    private void tooLarge(ChannelHandlerContext ctx, ByteBuf buf, int start, InetSocketAddress sender) {
        parseErrors.increment();
        int limit = start + maxMessageSize;
        int headerEnd = SipFraming.headerEnd(buf, start, limit);
        int end = headerEnd >= 0 ? headerEnd : SipFraming.lastLineEnd(buf, start, limit);
        SIPResponse response = TooLargeResponse.from(ByteBufUtil.getBytes(buf, start, end - start));
        if (response == null) {
            log.debug("dropping datagram over {} bytes from {}", maxMessageSize, sender);
            return;
        }
        // the Via in the response is the request's: stamp it as §18.2.1 would, then address it (§18.2.2)
        ReceivedParameter.addTo(response.getTopmostVia(), sender);
        InetSocketAddress target = ResponseAddress.of(response.getTopmostVia(), TransportKind.UDP);
        if (target == null || target.isUnresolved()) {
            return;
        }
        log.debug("answering 513 to {} for a datagram over {} bytes", target, maxMessageSize);
        ctx.writeAndFlush(new DatagramPacket(SipEncoder.encode(response, ctx.alloc()), target));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // one bad datagram must not take the listener down
        log.warn("UDP decoding failed on {}", ctx.channel(), cause);
    }
}

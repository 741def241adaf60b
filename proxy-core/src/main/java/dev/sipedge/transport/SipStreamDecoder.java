package dev.sipedge.transport;

import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames SIP messages on a stream connection (RFC 3261 §18.3). Emits an {@link InboundMessage}
 * per message (parsed later, on the shard that owns the call), or one holding the
 * {@link DecodeFailure} when the framing failed. One instance per connection.
 *
 * <pre>
 *  SKIP_CRLF ──non-CRLF byte──► READ_HEADERS ──blank line──► READ_BODY ──Content-Length bytes──┐
 *     ▲  │ CRLFCRLF: answer CRLF            │ too big / no Content-Length                     │
 *     │  └──────────┘                       ▼                                                  │
 *     └───────────────────────────────  DISCARDING (close)  ◄──────────────────────────────────┘
 *                                                                   (back to SKIP_CRLF)
 * </pre>
 *
 * <table>
 *   <caption>Limits and reactions</caption>
 *   <tr><th>condition</th><th>reaction</th></tr>
 *   <tr><td>CRLFCRLF outside a message (RFC 5626 §3.5.1 ping)</td><td>answer CRLF (pong)</td></tr>
 *   <tr><td>lone CRLF before a message (§7.5)</td><td>ignored</td></tr>
 *   <tr><td>header block or header + body over {@code maxMessageSize}</td><td>counted, 513 when the
 *       header lines seen allow a response, then close</td></tr>
 *   <tr><td>no or unparsable Content-Length</td><td>counted, {@link DecodeFailure}, close</td></tr>
 *   <tr><td>framed but unparsable message or bad header</td><td>counted, {@link DecodeFailure};
 *       the connection stays open (framing is intact)</td></tr>
 * </table>
 *
 * <p>The end of the header block is searched for in the buffer as bytes arrive
 * ({@link ByteBuf#indexOf}); the header block is then copied and framed ({@link SipFraming#frame}),
 * and the whole message copied into the {@code byte[]} the parser needs once its body is in.
 */
final class SipStreamDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(SipStreamDecoder.class);
    private static final byte[] PONG = {'\r', '\n'};

    enum State { SKIP_CRLF, READ_HEADERS, READ_BODY, DISCARDING }

    private final int maxMessageSize;
    private final Counter parseErrors;
    private final SipMessageParser parser;
    private final SipTrace trace;

    private State state = State.SKIP_CRLF;
    /** LFs seen since the last message or pong; two make a CRLFCRLF ping. */
    private int keepAliveLineFeeds;
    /**
     * Where the header-end search resumes, relative to the start of the message (the reader
     * index), so each byte is scanned about once. Relative, because ByteToMessageDecoder compacts
     * its cumulation buffer between reads and absolute indexes then point at other bytes.
     */
    private int scanOffset;
    /** The header block of the message whose body is awaited. */
    private SipFraming.Framed headers;
    private int bodyLength;

    SipStreamDecoder(int maxMessageSize, Counter parseErrors, SipMessageParser parser, SipTrace trace) {
        this.maxMessageSize = maxMessageSize;
        this.parseErrors = parseErrors;
        this.parser = parser;
        this.trace = trace;
    }

    private static InetSocketAddress peer(ChannelHandlerContext ctx) {
        InetSocketAddress remote = InboundDispatcher.inet(ctx.channel().remoteAddress());
        return remote == null ? InboundDispatcher.UNKNOWN_PEER : remote;
    }

    State state() {
        return state;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            switch (state) {
                case SKIP_CRLF -> {
                    if (!skipKeepAlives(ctx, in)) {
                        return;
                    }
                    state = State.READ_HEADERS;
                    scanOffset = 0;
                }
                case READ_HEADERS -> {
                    if (!readHeaders(ctx, in, out)) {
                        return;
                    }
                }
                case READ_BODY -> {
                    int total = headers.headerEnd() + bodyLength;
                    if (in.readableBytes() < total) {
                        return;
                    }
                    byte[] bytes = ByteBufUtil.getBytes(in, in.readerIndex(), total);
                    in.skipBytes(total);
                    state = State.SKIP_CRLF;
                    trace.received(TransportKind.TCP, ctx.channel().localAddress(), ctx.channel().remoteAddress(),
                            bytes);
                    // parsed later, on the shard that owns the call (InboundMessage)
                    out.add(InboundMessage.framed(TransportKind.TCP, bytes, headers, peer(ctx), parser,
                            parseErrors));
                }
                case DISCARDING -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    /** Consumes CR/LF before a message, answering each CRLFCRLF; true when a message starts. */
    private boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int firstOther = in.forEachByte(ByteProcessor.FIND_NON_CRLF);
        int end = firstOther < 0 ? in.writerIndex() : firstOther;
        int lineFeeds = countLineFeeds(in, start, end);
        in.readerIndex(end);
        keepAliveLineFeeds += lineFeeds;
        while (keepAliveLineFeeds >= 2) {
            keepAliveLineFeeds -= 2;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
        }
        if (firstOther < 0) {
            return false;
        }
        keepAliveLineFeeds = 0;   // a lone CRLF before a message is just ignored (§7.5)
        return true;
    }

    private static int countLineFeeds(ByteBuf in, int start, int end) {
        int count = 0;
        int i = start;
        while (i < end) {
            int lf = in.indexOf(i, end, (byte) '\n');
            if (lf < 0) {
                break;
            }
            count++;
            i = lf + 1;
        }
        return count;
    }

    /** Looks for the end of the header block and checks the size; true to carry on with the body. */
    private boolean readHeaders(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int limit = start + Math.min(in.readableBytes(), maxMessageSize);
        int end = SipFraming.headerEnd(in, start + scanOffset, limit);
        if (end < 0) {
            if (in.readableBytes() >= maxMessageSize) {
                tooLarge(ctx, in, ByteBufUtil.getBytes(in, start, SipFraming.lastLineEnd(in, start, limit) - start));
                return false;
            }
            scanOffset = Math.max(0, in.writerIndex() - 2 - start);   // an empty line is at most 3 bytes long
            return false;
        }
        byte[] block = ByteBufUtil.getBytes(in, start, end - start);
        SipFraming.Frame frame = SipFraming.frame(block);
        if (!(frame instanceof SipFraming.Framed framed) || framed.contentLength().isEmpty()) {
            // the copy ends at the same empty line, so only its Content-Length can be wrong
            fail(ctx, in, out, block, frame instanceof SipFraming.Framed
                    ? "missing Content-Length on a stream transport" : "bad Content-Length");
            return false;
        }
        int contentLength = framed.contentLength().getAsInt();
        if (end - start + (long) contentLength > maxMessageSize) {
            tooLarge(ctx, in, block);
            return false;
        }
        headers = framed;
        bodyLength = contentLength;
        state = State.READ_BODY;
        return true;
    }

    /** Framing is lost: report what the header block parses to, then close (STYLE.md §2.7). */
    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, byte[] headers, String reason) {
        parseErrors.increment();
        out.add(InboundMessage.failed(TransportKind.TCP, new DecodeFailure(parser.parseHeaders(headers), reason),
                peer(ctx)));
        discard(in);
        // closed after the failure has travelled up the pipeline, so the handler still sees the flow
        ctx.executor().execute(ctx::close);
        log.debug("closing {}: {}", ctx.channel(), reason);
    }

    /** Over the limit: 513 if the header lines seen allow it (RFC 3261 §21.5.14), then close. */
    private void tooLarge(ChannelHandlerContext ctx, ByteBuf in, byte[] headerLines) {
        parseErrors.increment();
        discard(in);
        SIPResponse response = TooLargeResponse.from(headerLines);
        log.debug("message over {} bytes on {}, {}", maxMessageSize, ctx.channel(),
                response == null ? "closing" : "answering 513 and closing");
        if (response == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(SipEncoder.encode(response, ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void discard(ByteBuf in) {
        state = State.DISCARDING;
        in.skipBytes(in.readableBytes());
    }
}

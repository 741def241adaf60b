package dev.sipedge.transport;

import dev.sipedge.transaction.TransportKind;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;

/**
 * One framed message, as a decoder emits it, with the transport and the sender it came from.
 * Parsing is deferred to {@link #content()} so that it runs on the shard that owns the call,
 * not on whichever I/O loop received it (one busy peer or one TCP connection would otherwise
 * put every parse on one core). The Call-ID that picks the shard comes from a byte scan
 * ({@link MessageIndex}), made only where there is more than one shard to pick from.
 */
final class InboundMessage {
    private final TransportKind transport;
    private final byte[] bytes;
    private final SipFraming.Framed frame;
    private final InetSocketAddress sender;
    private final SipMessageParser parser;
    private final Counter parseErrors;
    private ParseOutcome content;

    private InboundMessage(TransportKind transport, byte[] bytes, SipFraming.Framed frame, InetSocketAddress sender,
                           SipMessageParser parser, Counter parseErrors, ParseOutcome content) {
        this.transport = transport;
        this.bytes = bytes;
        this.frame = frame;
        this.sender = sender;
        this.parser = parser;
        this.parseErrors = parseErrors;
        this.content = content;
    }

    /**
     * A framed message still to be parsed: {@code bytes} holds its header block as {@code frame}
     * found it and its body. One with more than {@value MessageIndex#MAX_HEADERS} header lines is a
     * failure here (counted, never parsed): that bounds what one message can cost the parser
     * whichever owner gets it.
     */
    static InboundMessage framed(TransportKind transport, byte[] bytes, SipFraming.Framed frame,
                                 InetSocketAddress sender, SipMessageParser parser, Counter parseErrors) {
        if (frame.headerLines() > MessageIndex.MAX_HEADERS) {
            parseErrors.increment();
            return failed(transport, new DecodeFailure(null, "more than " + MessageIndex.MAX_HEADERS + " header lines"),
                    sender);
        }
        return new InboundMessage(transport, bytes, frame, sender, parser, parseErrors, null);
    }

    /** A message whose framing already failed (counted by the decoder). */
    static InboundMessage failed(TransportKind transport, DecodeFailure failure, InetSocketAddress sender) {
        return new InboundMessage(transport, null, null, sender, null, null, failure);
    }

    TransportKind transport() {
        return transport;
    }

    /** True when the decoder could not frame it: its outcome is a {@link DecodeFailure} already. */
    boolean framingFailed() {
        return bytes == null;
    }

    /**
     * The Call-ID, read from the raw header block without parsing ({@link MessageIndex}); null
     * when absent or the framing failed. A header block the index refuses (too many lines) is
     * a failed message from here on: counted, and dropped by whoever owns it.
     */
    String callId() {
        if (bytes == null || content != null) {
            return null;
        }
        MessageIndex.Outcome indexed = MessageIndex.of(bytes, frame.headerEnd());
        if (indexed instanceof MessageIndex.Indexed i) {
            return i.index().callId();
        }
        parseErrors.increment();
        content = new DecodeFailure(null, ((MessageIndex.NotIndexable) indexed).reason());
        return null;
    }

    /** What the bytes parse to (a failure counted once), parsed on first call. */
    ParseOutcome content() {
        if (content == null) {
            content = parser.parse(bytes, frame);
            if (content instanceof DecodeFailure) {
                parseErrors.increment();
            }
        }
        return content;
    }

    /** The datagram's source; for a stream, the peer of the connection. */
    InetSocketAddress sender() {
        return sender;
    }
}

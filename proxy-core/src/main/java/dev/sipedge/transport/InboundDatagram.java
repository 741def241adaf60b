package dev.sipedge.transport;

import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;

/**
 * One framed datagram and its sender. Parsing is deferred to {@link #content()}, so that it runs
 * on the shard that owns the call rather than on whichever I/O loop the kernel's SO_REUSEPORT
 * hash picked (one busy peer would otherwise put every parse on one core). The Call-ID that
 * picks the shard comes from a byte scan ({@link CallIds}).
 */
final class InboundDatagram {
    private final byte[] bytes;
    private final int headerLength;
    private final InetSocketAddress sender;
    private final SipMessageParser parser;
    private final Counter parseErrors;
    private Object content;

    /** A framed message still to be parsed. */
    InboundDatagram(byte[] bytes, int headerLength, InetSocketAddress sender, SipMessageParser parser,
                    Counter parseErrors) {
        this.bytes = bytes;
        this.headerLength = headerLength;
        this.sender = sender;
        this.parser = parser;
        this.parseErrors = parseErrors;
    }

    /** A datagram whose outcome is already known (a framing failure, counted by the decoder). */
    InboundDatagram(Object content, InetSocketAddress sender) {
        this.bytes = null;
        this.headerLength = 0;
        this.sender = sender;
        this.parser = null;
        this.parseErrors = null;
        this.content = content;
    }

    /** The Call-ID, read from the raw header block without parsing; null when absent or already parsed. */
    String callId() {
        return bytes == null ? null : CallIds.find(bytes, headerLength);
    }

    /** The parse outcome, a {@code SIPMessage} or a {@link DecodeFailure} (counted once), parsed on first call. */
    Object content() {
        if (content == null && bytes != null) {
            content = parser.parse(bytes, headerLength);
            if (content instanceof DecodeFailure) {
                parseErrors.increment();
            }
        }
        return content;
    }

    InetSocketAddress sender() {
        return sender;
    }
}

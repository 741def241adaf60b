package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes a JAIN-SIP message into one buffer: start line, headers, Content-Length, blank line, body;
 * or, for a relayed response that still has them, the bytes it was received as ({@link ReceivedBytes}).
 *
 * <p>Why not {@code encodeAsBytes(transport)}: it rewrites the transport of the top Via, which for a
 * relayed response is the previous hop's Via, and it mutates a message another thread may resend.
 * Why not {@code encode()}: it turns a binary body into a String with the message charset and back,
 * which is lossy. {@link SIPMessage#encodeMessage(StringBuilder)} gives the text part (always with
 * Content-Length, RFC 3261 §20.14) and {@link SIPMessage#getRawContent()} the body bytes as they are.
 */
final class SipEncoder {

    private SipEncoder() {
    }

    static ByteBuf encode(SIPMessage message, ByteBufAllocator alloc) {
        ReceivedBytes received = ReceivedBytes.of(message);
        if (received != null) {
            // a relayed response whose only edit (our Via gone) was made in its bytes too
            return received.writeTo(alloc);
        }
        StringBuilder text = message.encodeMessage(new StringBuilder(512));
        byte[] body = message.getRawContent();
        int bodyLength = body == null ? 0 : body.length;
        ByteBuf buf = alloc.ioBuffer(ByteBufUtil.utf8MaxBytes(text) + bodyLength);
        boolean done = false;
        try {
            ByteBufUtil.writeUtf8(buf, text);
            if (bodyLength > 0) {
                buf.writeBytes(body);
            }
            done = true;
            return buf;
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }
}

package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Writes a JAIN-SIP message into one buffer: start line, headers, Content-Length, blank line, body;
 * or, for a relayed response that still has them, the bytes it was received as ({@link ReceivedBytes}),
 * and for a forwarded request its received bytes with the forwarding edits ({@link RequestRelayEdit}).
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
        ByteBuf relayed = relayed(message, alloc);
        if (relayed == null) {
            return encodeObject(message, alloc);
        }
        if (RelayCheck.ENABLED) {
            ReceivedBytes response = ReceivedBytes.of(message);
            RelayCheck.verify(message, relayed,
                    response != null ? response.received() : ReceivedRequestBytes.of(message).bytes());
        }
        return relayed;
    }

    /** The message as its received bytes with the edits made to it, or null when it must be encoded. */
    private static ByteBuf relayed(SIPMessage message, ByteBufAllocator alloc) {
        ReceivedBytes received = ReceivedBytes.of(message);
        if (received != null) {
            // a relayed response whose only edit (our Via gone) was made in its bytes too
            return received.writeTo(alloc);
        }
        ReceivedRequestBytes request = ReceivedRequestBytes.of(message);
        if (request != null
                && RequestRelayEdit.edit((SIPRequest) message, request, alloc) instanceof RequestRelayEdit.Edited edited) {
            // a forwarded request whose edits are those forwarding makes: its received bytes, edited
            return edited.wire();
        }
        return null;
    }

    /** The message object encoded, whatever bytes it was received as (the relay check's reference). */
    static byte[] encodeObject(SIPMessage message) {
        ByteBuf buf = encodeObject(message, UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static ByteBuf encodeObject(SIPMessage message, ByteBufAllocator alloc) {
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

package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * How the transaction layer puts messages on the wire. Implemented by proxy-core over Netty.
 * {@link #send} never blocks; it may be called from any thread.
 */
public interface Transport {

    /** Told when a message could not be sent (connection refused, reset, write failure). */
    interface FailureListener {
        void sendFailed(Throwable cause);
    }

    /**
     * Encodes and sends {@code message} along {@code flow}. Over TCP an open connection to
     * {@code flow.remote()} is reused, otherwise one is opened. Failures arrive on
     * {@code onFailure}, on a transport thread (possibly synchronously); pass null to ignore them.
     */
    void send(SIPMessage message, Flow flow, FailureListener onFailure);

    /**
     * Sends {@code request}, a request the transaction layer wrote as text itself (the ACK of a
     * failure, {@link AckBuilder}), along {@code flow}: over UDP as one datagram to
     * {@code flow.remote()} from the listener bound to {@code flow.local()}, over TCP on the
     * connection to {@code flow.remote()}. Failures arrive as for {@link #send}. This default
     * parses the bytes and sends the message, for transports that only take messages.
     */
    default void sendEncoded(byte[] request, Flow flow, FailureListener onFailure) {
        SIPMessage message;
        try {
            message = new StringMsgParser().parseSIPMessage(request, true, false, null);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a request: " + new String(request, StandardCharsets.UTF_8), e);
        }
        send(message, flow, onFailure);
    }

    /**
     * Sends {@code message} as {@link #send} does and returns it in the form a transaction keeps
     * to send it again: a non-INVITE server transaction holds its final response for 64*T1 (32 s)
     * on UDP (RFC 3261 §17.2.2), and the parsed message is about ten times its bytes, which under
     * load is most of what survives each young collection. One call for both, so that a transport
     * that keeps bytes keeps those it sent rather than encoding the message a second time. This
     * default keeps the message itself.
     */
    default Kept sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
        send(message, flow, onFailure);
        return new KeptMessage(message, flow);
    }

    /**
     * Sends {@code length} bytes of {@code bytes} from {@code offset}, an encoded message, as one
     * datagram from the listener bound to {@code local} to {@code target}. Only called with what
     * this transport returned as a {@link KeptDatagram}, so a transport that never returns one
     * never needs it.
     */
    default void sendDatagram(byte[] bytes, int offset, int length, InetSocketAddress local, InetSocketAddress target,
            FailureListener onFailure) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no datagrams");
    }

    /** Sends a message kept by {@link #sendKept} again, exactly as it first went out. */
    default void resend(Kept kept, FailureListener onFailure) {
        if (kept instanceof KeptDatagram datagram) {
            sendDatagram(datagram.bytes(), 0, datagram.bytes().length, datagram.local(), datagram.target(), onFailure);
        } else {
            KeptMessage message = (KeptMessage) kept;
            send(message.message(), message.flow(), onFailure);
        }
    }

    /** A message kept by {@link #sendKept}, to be sent again as it was. */
    sealed interface Kept permits KeptMessage, KeptDatagram {
    }

    /** Kept as the message object, encoded again on each resend (reliable flows, tests, no usable destination). */
    record KeptMessage(SIPMessage message, Flow flow) implements Kept {
    }

    /**
     * Kept as the bytes of the datagram that went out, and where it went: what a UDP transport
     * sent, to be sent again with {@link #sendDatagram}. The transaction layer may copy the bytes
     * into storage of its own, so the array is not to be changed once returned.
     */
    record KeptDatagram(byte[] bytes, InetSocketAddress local, InetSocketAddress target) implements Kept {
    }
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;

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
     * Sends {@code message} as {@link #send} does and returns it in the form a transaction keeps
     * to send it again: a non-INVITE server transaction holds its final response for 64*T1 (32 s)
     * on UDP (RFC 3261 §17.2.2), and the parsed message is about ten times its bytes, which under
     * load is most of what survives each young collection. One call for both, so that a transport
     * that keeps bytes keeps those it sent rather than encoding the message a second time. This
     * default keeps the message itself.
     */
    default Resendable sendKept(SIPMessage message, Flow flow, FailureListener onFailure) {
        send(message, flow, onFailure);
        return again -> send(message, flow, again);
    }

    /** A message kept by {@link #sendKept}, to be sent again as it was. */
    interface Resendable {
        void resend(FailureListener onFailure);
    }
}

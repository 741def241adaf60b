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
}

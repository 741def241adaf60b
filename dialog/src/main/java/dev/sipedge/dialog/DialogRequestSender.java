package dev.sipedge.dialog;

import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * How the module puts its own requests on the wire (OpenSIPS's dialog module calls TM's
 * {@code t_request_within} for this). Implemented by the proxy, which owns the listeners, the
 * branch generator and the resolver. Every method is called on the dialog's shard and must not
 * block.
 */
public interface DialogRequestSender {

    /**
     * Adds our Via (a fresh branch, on the local socket of {@code hop}) and sends {@code request}
     * as a client transaction. {@code reply} hears every response, then {@link Reply#onEnd} exactly
     * once, also when the request could not be sent at all (no route, unknown transport).
     */
    void send(SIPRequest request, NextHop hop, Reply reply);

    /** Adds our Via and sends the ACK for a 2xx (no transaction, RFC 3261 §13.2.2.4). */
    void sendAck(SIPRequest ack, NextHop hop);

    /**
     * CANCELs every branch of a tracked initial INVITE (RFC 3261 §16.10), as a CANCEL from the
     * caller would; the caller then receives the 487. False when the transaction has no branches to
     * cancel any more.
     */
    boolean cancel(ServerTransaction initialInvite);

    /** What happens to a request the module sent. */
    interface Reply {
        void onResponse(SIPResponse response);

        /** The transaction is over; {@code finalReceived} says whether a final response came. */
        void onEnd(EndReason reason, boolean finalReceived);
    }

    /** Used until the proxy connects its sender: refuses everything, so no dialog waits forever. */
    DialogRequestSender NONE = new DialogRequestSender() {
        @Override
        public void send(SIPRequest request, NextHop hop, Reply reply) {
            reply.onEnd(EndReason.TRANSPORT_ERROR, false);
        }

        @Override
        public void sendAck(SIPRequest ack, NextHop hop) {
        }

        @Override
        public boolean cancel(ServerTransaction initialInvite) {
            return false;
        }
    };
}

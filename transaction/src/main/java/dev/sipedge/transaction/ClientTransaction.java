package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPResponse;

/** RFC 3261 §17.1 client transaction (INVITE or non-INVITE). Used only on its owning shard. */
public interface ClientTransaction extends Transaction {

    /** Receives what a client transaction reports to its owner. Called on the owning shard. */
    interface Listener {
        /**
         * A response for the transaction: every provisional, the first final response, and (RFC
         * 6026, Accepted state) retransmitted or additional 2xx responses. Retransmissions of a
         * non-2xx final response are absorbed and not reported.
         */
        void onResponse(ClientTransaction tx, SIPResponse response);

        /**
         * Timer C (RFC 3261 §16.8) fired on an INVITE transaction: no final response within
         * {@code timer-c} of the last provisional (or of the request). The proxy decides: CANCEL
         * when a provisional came, otherwise treat as timed out.
         */
        default void onTimerC(ClientTransaction tx) {
        }

        /** The transaction is over; {@code reason} says how. Called exactly once. */
        void onTerminated(ClientTransaction tx, EndReason reason);
    }

    /** True once a provisional response (1xx) has been received. */
    boolean provisionalReceived();

    /** True once a final response (>= 200) has been received. */
    boolean finalReceived();

    /**
     * Ends the transaction as timed out, as if Timer B/F had fired (the proxy's reaction to
     * Timer C without a provisional response). No-op once a final response was received.
     */
    void abandon();

    /**
     * The TU takes no more 2xx from this INVITE transaction in Accepted (RFC 6026 §8.4): it ends
     * now, and a later 2xx for it matches no transaction and reaches the TU as a stray response
     * ({@link TransactionUser#onStrayResponse}). Ignored in any other state and by non-INVITE
     * transactions, which have no Accepted state.
     */
    default void settle() {
    }
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPResponse;

/**
 * Passive observer of transaction events, registered with {@link TransactionLayer#addListener}.
 * The dialog module hangs on these as OpenSIPS's dialog module registers TM callbacks. All
 * methods run on the owning shard; exceptions are logged and contained by the layer.
 */
public interface TransactionListener {
    default void serverTransactionCreated(ServerTransaction tx) {
    }

    default void clientTransactionCreated(ClientTransaction tx) {
    }

    default void responseReceived(ClientTransaction tx, SIPResponse response) {
    }

    /**
     * A response passed up by a client transaction, with the flow it arrived on ({@code source}:
     * the peer's observed address and the connection; null if unknown). By default the same as
     * {@link #responseReceived(ClientTransaction, SIPResponse)}.
     */
    default void responseReceived(ClientTransaction tx, SIPResponse response, Flow source) {
        responseReceived(tx, response);
    }

    default void responseSent(ServerTransaction tx, SIPResponse response) {
    }

    /** The transaction entered Terminated; it no longer holds its messages ({@link Transaction#request()} is null). */
    default void transactionEnded(Transaction tx, EndReason reason) {
    }
}

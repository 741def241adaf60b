package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPRequest;

/** What client and server transactions have in common. */
public interface Transaction {
    /** The request that created the transaction (for a client transaction, the one sent). */
    SIPRequest request();

    /** The flow the request came in on (server) or was sent along (client). */
    Flow flow();

    /** The RFC 3261 §17 matching key. */
    TransactionKey key();

    boolean isInvite();

    boolean isTerminated();

    /** Free-form slot for the transaction user's per-transaction state (e.g. the proxy context). */
    Object attachment();

    void attach(Object attachment);
}

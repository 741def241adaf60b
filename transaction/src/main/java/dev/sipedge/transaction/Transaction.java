package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPRequest;

/** What client and server transactions have in common. */
public interface Transaction {
    /**
     * The request that created the transaction (for a client transaction, the one sent), while
     * the transaction may still send it or build from it; null once it has moved into a state
     * that lingers only to absorb retransmissions, and so in every callback that reports the end:
     *
     * <table>
     * <caption>When request() is null</caption>
     * <tr><th>transaction</th><th>request() non-null in</th><th>null in</th></tr>
     * <tr><td>INVITE server</td><td>Proceeding</td><td>Completed, Confirmed, Accepted, Terminated</td></tr>
     * <tr><td>non-INVITE server</td><td>Trying, Proceeding</td><td>Completed, Terminated</td></tr>
     * <tr><td>INVITE client</td><td>Calling, Proceeding</td><td>Completed, Accepted, Terminated</td></tr>
     * <tr><td>non-INVITE client</td><td>Trying, Proceeding</td><td>Completed, Terminated</td></tr>
     * </table>
     *
     * A server transaction thus drops it as soon as a final response is sent, a client
     * transaction as soon as a final response arrives. Lingering transactions last up to 64*T1
     * (Timers D, H, J, L, M) and holding whole parsed messages there dominates the heap under
     * load; a TU that needs the request later keeps its own reference (or the few fields it needs).
     */
    SIPRequest request();

    /** The flow the request came in on (server) or was sent along (client). */
    Flow flow();

    /**
     * The RFC 3261 §17 matching key: branch, sent-by and method for a server transaction
     * (§17.2.3); branch and method for a client one (§17.1.3, sent-by empty), since the branch
     * is our own and sent-by is not part of matching a response.
     */
    TransactionKey key();

    boolean isInvite();

    boolean isTerminated();

    /** Free-form slot for the transaction user's per-transaction state (e.g. the proxy context). */
    Object attachment();

    void attach(Object attachment);
}

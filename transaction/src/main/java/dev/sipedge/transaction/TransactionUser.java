package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/** The layer above transactions (the proxy core). Every method is called on the owning shard. */
public interface TransactionUser {

    /**
     * A new request that matched no transaction; a server transaction was created for it. For
     * CANCEL, {@link TransactionLayer#findInviteForCancel} finds the INVITE it cancels.
     */
    void onRequest(ServerTransaction tx, SIPRequest request);

    /**
     * An ACK that matched no INVITE server transaction (or one in the Accepted state): the ACK
     * for a 2xx, which a proxy relays statelessly (RFC 3261 §16.7 / RFC 6026).
     */
    void onAckWithoutTransaction(SIPRequest ack, Flow flow);

    /** A response that matched no client transaction (§17.1.3); a proxy forwards 2xx ones statelessly (§16.7). */
    void onStrayResponse(SIPResponse response, Flow flow);
}

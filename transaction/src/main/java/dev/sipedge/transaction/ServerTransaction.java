package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPResponse;

/** RFC 3261 §17.2 server transaction (INVITE or non-INVITE). Used only on its owning shard. */
public interface ServerTransaction extends Transaction {

    /**
     * Sends a response through the transaction: provisional, 2xx or failure. The transaction
     * keeps the last response for retransmission of requests, and for INVITE runs Timer G/H on
     * failures (unreliable transports) and Timer L on 2xx (RFC 6026, Accepted state, where
     * further 2xx retransmissions from the TU are passed through).
     */
    void respond(SIPResponse response);

    /** The last response sent, or null. */
    SIPResponse lastResponse();
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPResponse;

/** RFC 3261 §17.2 server transaction (INVITE or non-INVITE). Used only on its owning shard. */
public interface ServerTransaction extends Transaction {

    /**
     * Sends a response through the transaction: provisional, 2xx or failure. The transaction
     * keeps the last response for retransmission of requests (never a 2xx to INVITE), and for
     * INVITE runs Timer G/H on failures (unreliable transports) and Timer L on 2xx (RFC 6026,
     * Accepted state, where further 2xx retransmissions from the TU are passed through).
     */
    void respond(SIPResponse response);

    /**
     * The last response sent while the transaction may still resend it as a message, else null:
     * null before any response; in Proceeding the last provisional; in INVITE Completed the final
     * response (resent on retransmitted requests and on Timer G; RFC 3261 §17.2.1). A non-INVITE
     * transaction in Completed on UDP keeps its final response only as bytes (resent on
     * retransmitted requests, §17.2.2; {@link Transport#sendKept}), so null there. Null in the
     * INVITE Accepted (RFC 6026 §7.1: the TU retransmits its 2xx itself) and Confirmed states,
     * and in Terminated.
     */
    SIPResponse lastResponse();

    /**
     * The TU will send no more 2xx through this INVITE transaction in Accepted (RFC 6026 §7.1),
     * so the transaction ends now and its layer keeps only its key until Timer L would have
     * fired, absorbing retransmitted INVITEs by it and matching CANCELs to it
     * ({@link TransactionLayer#settledInvite}). Returns whether it settled: not in any other
     * state, nor for a key the layer cannot keep (it then lingers as before), nor for non-INVITE
     * transactions, which have no Accepted state.
     */
    default boolean settle() {
        return false;
    }
}

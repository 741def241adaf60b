package dev.sipedge.transaction;

/** Why a transaction ended. */
public enum EndReason {
    /** A final response was sent or received and the transaction's linger timers ran out. */
    COMPLETED,
    /** Timer B, F or H fired: no final response, or no ACK, in time. */
    TIMEOUT,
    /** The transport reported a failure sending on the transaction's flow. */
    TRANSPORT_ERROR
}

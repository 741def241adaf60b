package dev.sipedge.dialog;

/** The inputs of the dialog state machine ({@link DialogTransitions#next}). */
enum DialogEvent {
    /** A 101-199 response with a To tag relayed toward the caller. */
    PROVISIONAL,
    /** A 2xx to the initial INVITE relayed toward the caller. */
    SUCCESS,
    /** A 300-699 final response to the initial INVITE relayed toward the caller (CANCEL gives 487). */
    FAILURE,
    /** The initial INVITE's server transaction ended without a final response. */
    TRANSACTION_GONE,
    /** The ACK for the 2xx. */
    ACK,
    /** A BYE from either side (of the chosen leg). */
    BYE,
    /** Any other in-dialog request (re-INVITE, UPDATE, INFO, ...). */
    REQUEST_WITHIN,
    /** The dialog's lifetime ran out. */
    TIMEOUT,
    /** The module ends a confirmed dialog itself (operator, failed pings, race condition) by sending BYEs. */
    LOCAL_END
}

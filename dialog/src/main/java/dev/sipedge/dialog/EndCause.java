package dev.sipedge.dialog;

/** Why a dialog ended. */
public enum EndCause {
    /** A non-2xx final response (including 487 after CANCEL) went to the caller. */
    FAILED,
    /** The INVITE transaction ended without any final response. */
    NOT_ANSWERED,
    /** The caller sent BYE. */
    CALLER_BYE,
    /** The callee sent BYE. */
    CALLEE_BYE,
    /** The lifetime ran out. */
    EXPIRED
}

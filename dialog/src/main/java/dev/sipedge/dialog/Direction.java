package dev.sipedge.dialog;

/** Which way an in-dialog request travels, decided per request from its From tag. */
public enum Direction {
    /** From the caller toward the callee: the From tag is the caller's. */
    DOWNSTREAM,
    /** From the callee toward the caller. */
    UPSTREAM
}

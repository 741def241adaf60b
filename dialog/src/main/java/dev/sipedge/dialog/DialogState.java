package dev.sipedge.dialog;

/**
 * The life of a dialog, as Kamailio and OpenSIPS name it.
 *
 * <pre>
 *                 1xx with To tag
 *   UNCONFIRMED ─────────────────► EARLY ──┐ 1xx
 *        │  │                        │ ◄───┘
 *        │  │ 2xx                    │ 2xx
 *        │  └──────────► CONFIRMED_NA ◄┘
 *        │                 │   │ ACK
 *        │ non-2xx final,  │   ▼
 *        │ CANCEL, INVITE  │  CONFIRMED
 *        │ transaction gone│   │ BYE, lifetime timeout
 *        ▼                 ▼   ▼
 *      ENDED (failed)     ENDED (terminated / expired)
 * </pre>
 * CONFIRMED_NA also ends when no ACK comes within {@code dialog.noack-timeout} (a timeout, like
 * the lifetime). EARLY also ends on a non-2xx final response, a vanished INVITE transaction or a BYE (on the
 * last early leg; with several forks ringing, a BYE ends only its own leg).
 */
public enum DialogState {
    /** Initial INVITE relayed, no response with a To tag yet. */
    UNCONFIRMED,
    /** A provisional response with a To tag was relayed. */
    EARLY,
    /** A 2xx was relayed; its ACK has not been seen. */
    CONFIRMED_NA,
    /** The 2xx was ACKed. */
    CONFIRMED,
    /** Failed, terminated or expired; kept only for the delete delay. */
    ENDED;

    /** Answered and not ended (OpenSIPS {@code active_dialogs}). */
    public boolean isActive() {
        return this == CONFIRMED_NA || this == CONFIRMED;
    }
}

package dev.sipedge.dialog;

/**
 * The whole dialog transition table as one pure function (the event x state table of Kamailio's
 * {@code next_state_dlg}, without the locking, counting and callbacks mixed into it there).
 * Effects (counters, listeners, timers, freeing) are applied by {@link DialogTracker} around it.
 */
final class DialogTransitions {
    private DialogTransitions() {
    }

    static DialogState next(DialogState state, DialogEvent event) {
        return switch (state) {
            case UNCONFIRMED -> switch (event) {
                case PROVISIONAL -> DialogState.EARLY;
                case SUCCESS -> DialogState.CONFIRMED_NA;
                case FAILURE, TRANSACTION_GONE -> DialogState.ENDED;
                // No dialog exists at the UAs yet: a BYE or timeout cannot concern it.
                default -> DialogState.UNCONFIRMED;
            };
            case EARLY -> switch (event) {
                case SUCCESS -> DialogState.CONFIRMED_NA;
                // RFC 3261 §15: the caller may BYE an early dialog.
                case FAILURE, TRANSACTION_GONE, BYE -> DialogState.ENDED;
                default -> DialogState.EARLY;
            };
            case CONFIRMED_NA -> switch (event) {
                case ACK -> DialogState.CONFIRMED;
                case BYE, TIMEOUT, LOCAL_END -> DialogState.ENDED;
                // Late failures from other forks and the INVITE transaction's end change nothing.
                default -> DialogState.CONFIRMED_NA;
            };
            case CONFIRMED -> switch (event) {
                case BYE, TIMEOUT, LOCAL_END -> DialogState.ENDED;
                default -> DialogState.CONFIRMED;
            };
            case ENDED -> DialogState.ENDED;
        };
    }
}

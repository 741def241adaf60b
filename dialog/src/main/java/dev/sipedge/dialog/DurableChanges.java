package dev.sipedge.dialog;

/**
 * Told, on the dialog's shard, whenever what a restart needs of a dialog changed (its state,
 * CSeqs, targets, route sets, flows, ping shift, lifetime, values, flags, profiles) and when it
 * ended: the seam between the dialog's one lifecycle step and the persistence queue. An
 * implementation takes its snapshot at once (the dialog changes again right after) and never
 * blocks the shard.
 */
public interface DurableChanges {

    /** No persistence: nothing is kept. */
    DurableChanges NONE = new DurableChanges() {
        @Override
        public void changed(Dialog dialog) {
        }

        @Override
        public void ended(Dialog dialog) {
        }
    };

    /** The dialog's durable state changed (only answered dialogs need keeping). */
    void changed(Dialog dialog);

    /** The dialog ended: whatever is kept of it goes. */
    void ended(Dialog dialog);
}

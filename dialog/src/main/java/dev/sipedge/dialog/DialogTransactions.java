package dev.sipedge.dialog;

import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.Transaction;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which server transactions of a shard belong to which dialog: the initial INVITEs that created
 * one, and the in-dialog requests relayed within one. Remembered per transaction (identity maps
 * that empty as the transactions end), so responses are attributed without any matching.
 */
final class DialogTransactions {
    /** An in-dialog server transaction: who asked whom, and the requester's new Contact for target refreshes. */
    record Within(Dialog dialog, Leg requester, Leg responder, String requesterContact, boolean invite, String offer) {
    }

    /** Package-visible for leak tests, which check that both empty. */
    final Map<Transaction, Dialog> initialInvites = new IdentityHashMap<>();
    final Map<Transaction, Within> within = new IdentityHashMap<>();

    /** {@code tx} is the initial INVITE of {@code d} (the module's CANCEL needs it while it lives). */
    void initialInvite(ServerTransaction tx, Dialog d) {
        initialInvites.put(tx, d);
        d.initialInvite = tx;
    }

    /** The dialog {@code tx} is the initial INVITE of, or null. */
    Dialog initialInviteOf(Transaction tx) {
        return initialInvites.get(tx);
    }

    /** {@code tx} is relayed within {@code w.dialog()}; an open INVITE holds the dialog's pings back. */
    void within(Transaction tx, Within w) {
        within.put(tx, w);
        if (w.invite()) {
            w.dialog().openInvites++;
        }
    }

    /** What {@code tx} is within, or null. */
    Within withinOf(Transaction tx) {
        return within.get(tx);
    }

    /** Forgets {@code tx}; returns the dialog it was the initial INVITE of, or null. */
    Dialog ended(Transaction tx) {
        Within w = within.remove(tx);
        if (w != null && w.invite()) {
            w.dialog().openInvites--;
        }
        Dialog d = initialInvites.remove(tx);
        if (d != null) {
            d.initialInvite = null;
        }
        return d;
    }
}

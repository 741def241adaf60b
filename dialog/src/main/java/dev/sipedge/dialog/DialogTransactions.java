package dev.sipedge.dialog;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which server transactions of a shard belong to which dialog: the initial INVITEs that created
 * one, and the in-dialog requests relayed within one. Remembered per transaction (maps that
 * empty as the transactions end), so responses are attributed without any matching.
 *
 * <p>Keyed by identity, as transactions keep {@code Object}'s equality, in {@link HashMap}s rather
 * than {@code IdentityHashMap}s: removing from an open-addressing table re-hashes the entries
 * after the removed one, reading each transaction's header, a cache miss apiece under load (1 %
 * of the event loops' samples in a warm profile); a hash map's node keeps the hash and removal
 * touches no other key.
 */
final class DialogTransactions {
    /** An in-dialog server transaction: who asked whom, and the requester's new Contact for target refreshes. */
    record Within(Dialog dialog, Leg requester, Leg responder, String requesterContact, boolean invite, String offer) {
    }

    /** Package-visible for leak tests, which check that all three empty. */
    final Map<Transaction, Dialog> initialInvites = new HashMap<>();
    final Map<Transaction, Within> within = new HashMap<>();
    /** Client transactions (branches) of initial INVITEs whose responses make the callee legs. */
    final Map<Transaction, Dialog> inviteBranches = new HashMap<>();

    /** {@code tx} is the initial INVITE of {@code d} (the module's CANCEL needs it while it lives). */
    void initialInvite(ServerTransaction tx, Dialog d) {
        initialInvites.put(tx, d);
        d.initialInvite = tx;
    }

    /** The dialog {@code tx} is the initial INVITE of, or null. */
    Dialog initialInviteOf(Transaction tx) {
        return initialInvites.get(tx);
    }

    /** {@code tx} is a branch of {@code d}'s initial INVITE: its responses make the callee legs. */
    void inviteBranch(ClientTransaction tx, Dialog d) {
        inviteBranches.put(tx, d);
        ClientTransaction[] known = d.inviteBranches;
        ClientTransaction[] grown = Arrays.copyOf(known, known.length + 1);
        grown[known.length] = tx;
        d.inviteBranches = grown;
    }

    /** The dialog whose initial INVITE {@code tx} is a branch of, or null. */
    Dialog inviteBranchOf(Transaction tx) {
        return inviteBranches.get(tx);
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

    /**
     * {@code tx}'s final response went out. A non-INVITE within a dialog (a BYE) needs nothing more
     * from it, and its entry would keep the dialog reachable while the transaction lingers for
     * 64*T1; an INVITE keeps its entry, as it holds the dialog's pings back until it ends.
     */
    void answered(Transaction tx) {
        Within w = within.get(tx);
        if (w != null && !w.invite()) {
            within.remove(tx);
        }
    }

    /**
     * {@code d} is gone from the tables: its initial INVITE and that INVITE's branches, lingering
     * in Accepted for 64*T1 after a 2xx, no longer keep it (and all it holds) reachable.
     */
    void forget(Dialog d) {
        if (d.initialInvite != null) {
            initialInvites.remove(d.initialInvite);
            d.initialInvite = null;
        }
        for (ClientTransaction branch : d.inviteBranches) {
            inviteBranches.remove(branch);
        }
        d.inviteBranches = Dialog.NO_BRANCHES;
    }

    /** Forgets {@code tx}; returns the dialog it was the initial INVITE of, or null. */
    Dialog ended(Transaction tx) {
        Dialog branchOf = inviteBranches.remove(tx);
        if (branchOf != null) {
            branchOf.inviteBranches = without(branchOf.inviteBranches, tx);
        }
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

    private static ClientTransaction[] without(ClientTransaction[] branches, Transaction tx) {
        if (branches.length == 1 && branches[0] == tx) {
            return Dialog.NO_BRANCHES;
        }
        List<ClientTransaction> kept = new ArrayList<>(branches.length);
        for (ClientTransaction b : branches) {
            if (b != tx) {
                kept.add(b);
            }
        }
        return kept.toArray(Dialog.NO_BRANCHES);
    }
}

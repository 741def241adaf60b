package dev.sipedge.dialog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dialogs of one shard (Kamailio's {@code dlg_hash}, split per owner instead of locked per
 * slot): by did sequence for the cookie, by Call-ID for SIP matching and spirals. Plain maps,
 * touched only on the owning shard.
 *
 * <p>The early and active counts that feed the gauges are kept here, next to the maps, and change
 * only in {@link #add}, {@link #setState} and {@link #remove}: the only ways a dialog enters, moves
 * or leaves. They are thus a function of the table's contents (checked by {@link #recount()} in the
 * tests), not a tally of events that could drift. They are volatile so a scrape on another thread
 * sees them.
 */
final class DialogTable {
    private final DialogsBySequence bySequence = new DialogsBySequence();
    private final Map<String, Dialog> byCallId = new HashMap<>();
    private volatile int early;
    private volatile int active;
    private volatile int size;

    void add(Dialog dialog) {
        bySequence.put(dialog.sequence, dialog);
        Dialog head = byCallId.put(dialog.callId(), dialog);
        dialog.nextSameCallId = head;
        count(dialog.state, +1);
        size = bySequence.size();
    }

    /** The only way a dialog in the table changes state. */
    void setState(Dialog dialog, DialogState next) {
        if (dialog.state == next) {
            return;
        }
        boolean inTable = bySequence.get(dialog.sequence) == dialog;
        if (inTable) {
            count(dialog.state, -1);
        }
        dialog.state = next;
        if (inTable) {
            count(next, +1);
        }
    }

    void remove(Dialog dialog) {
        if (bySequence.get(dialog.sequence) != dialog) {
            return;
        }
        bySequence.remove(dialog.sequence);
        Dialog head = byCallId.get(dialog.callId());
        if (head == dialog) {
            if (dialog.nextSameCallId == null) {
                byCallId.remove(dialog.callId());
            } else {
                byCallId.put(dialog.callId(), dialog.nextSameCallId);
            }
        } else {
            for (Dialog d = head; d != null; d = d.nextSameCallId) {
                if (d.nextSameCallId == dialog) {
                    d.nextSameCallId = dialog.nextSameCallId;
                    break;
                }
            }
        }
        dialog.nextSameCallId = null;
        count(dialog.state, -1);
        size = bySequence.size();
    }

    Dialog bySequence(long sequence) {
        return bySequence.get(sequence);
    }

    /** The first dialog of {@code callId}; follow {@link Dialog#nextSameCallId} for the others. */
    Dialog byCallId(String callId) {
        return byCallId.get(callId);
    }

    int early() {
        return early;
    }

    int active() {
        return active;
    }

    int size() {
        return size;
    }

    /** Every dialog, for walks on the owning shard (listing, tests). */
    List<Dialog> all() {
        return bySequence.values();
    }

    /** Early and active counts computed by walking the table: {early, active}. For tests. */
    int[] recount() {
        int e = 0;
        int a = 0;
        for (Dialog d : bySequence.values()) {
            if (d.state == DialogState.EARLY) {
                e++;
            } else if (d.state.isActive()) {
                a++;
            }
        }
        return new int[] {e, a};
    }

    private void count(DialogState state, int delta) {
        if (state == DialogState.EARLY) {
            early = early + delta;      // single writer (the owning shard); volatile for readers
        } else if (state.isActive()) {
            active = active + delta;
        }
    }
}

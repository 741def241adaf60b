package dev.sipedge.dialog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues and reads the {@code did} values written into our Record-Route:
 * {@code <node-id>.<sequence>} with the sequence in base 36. The node id makes values unique
 * across nodes and restarts (it is random per start unless configured); the sequence makes them
 * unique within a run, and is all a dialog stores (the text is rebuilt when needed). A did is never
 * trusted on its own: the tracker checks Call-ID and tags of every dialog found by it (tight
 * matching).
 */
final class DidCookie {
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    DidCookie(String nodeId) {
        this.prefix = nodeId + ".";
    }

    long next() {
        return sequence.incrementAndGet();
    }

    /** A restored did holds {@code seq}: later dids of this run come after it. */
    void atLeast(long seq) {
        sequence.accumulateAndGet(seq, Math::max);
    }

    String format(long seq) {
        return prefix + Long.toString(seq, 36);
    }

    /** The sequence in a did of ours, or -1 for one from another node or run, or garbage. */
    long parse(String did) {
        if (did == null || !did.startsWith(prefix) || did.length() == prefix.length()
                || did.length() - prefix.length() > 13) {   // 13 base-36 digits hold any long
            return -1;
        }
        try {
            long seq = Long.parseLong(did.substring(prefix.length()), 36);
            return seq > 0 ? seq : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package dev.sipedge.dialog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues the {@code did} values written into our Record-Route: {@code <node-id>.<sequence>} with the
 * sequence in base 36. The node id makes values unique across nodes and restarts (it is random
 * per start unless configured); the sequence makes them unique within a run. A did is never trusted
 * on its own: the tracker checks Call-ID and tags of every dialog found by it (tight matching).
 */
final class DidCookie {
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    DidCookie(String nodeId) {
        this.prefix = nodeId + ".";
    }

    String next() {
        return prefix + Long.toString(sequence.incrementAndGet(), 36);
    }
}

package dev.sipedge.dialog;

import io.netty.util.Timeout;

/** The ping bookkeeping of one leg ({@link DialogPinger}); confined to the dialog's shard. */
final class LegPing {
    /** The next ping's timer entry. */
    Timeout timer;
    /** A ping to the leg is in flight (no final response yet). */
    boolean pending;
    /** Consecutive pings that timed out or got 408. */
    int failures;
    /** Pings sent, and those that failed, since the dialog was confirmed (for tests and listings). */
    int sent;
}

package dev.sipedge.proxy;

import java.time.Duration;

/**
 * Whether the proxy still takes new calls. Open from start; a graceful stop closes it, and from
 * then on every shard's {@link ProxyEngine} answers new initial requests with {@code 503 Service
 * Unavailable} and a {@code Retry-After} (RFC 3261 §21.5.4: the client retries elsewhere, RFC
 * 3263 fail-over), while in-dialog requests, CANCELs, ACKs and transactions in flight go on.
 * It never opens again: a drained process exits. Read from any thread.
 */
public final class DrainGate {
    private volatile boolean draining;
    private volatile int retryAfterSeconds;

    /** True until {@link #startDraining}. */
    public boolean admitsNewRequests() {
        return !draining;
    }

    public boolean draining() {
        return draining;
    }

    /** The {@code Retry-After} of the 503s, in whole seconds (at least 1). */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * Closes the gate. {@code retryAfter} (rounded up to whole seconds, at least 1) tells clients
     * how long not to come back: a drained process is gone by then or restarted.
     */
    public void startDraining(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        retryAfterSeconds = (int) Math.min(Integer.MAX_VALUE, seconds);
        draining = true;   // written last: a reader that sees draining sees the Retry-After
    }
}

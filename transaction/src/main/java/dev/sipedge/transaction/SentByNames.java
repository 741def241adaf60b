package dev.sipedge.transaction;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The sent-by strings of recent peers, so that the server keys of one peer's requests share one
 * string. A server transaction lingers up to 64*T1 with its key, and a fresh "host:port" per key
 * was about 56 bytes of each; calls come through a few peers (an SBC, a trunk, a load generator).
 * Direct-mapped and lossy: a collision only costs a fresh string. Any thread may use it; an
 * entry is immutable, so a race between two writers leaves one correct entry or the other.
 */
final class SentByNames {
    private static final int SIZE = 64;

    private record Entry(String host, int port, String sentBy) {
    }

    private final AtomicReferenceArray<Entry> entries = new AtomicReferenceArray<>(SIZE);

    /** {@code host:port}, or {@code host} when {@code port} is not positive; {@code host} lower-cased already. */
    String of(String host, int port) {
        int slot = (host.hashCode() * 31 + port) & (SIZE - 1);
        Entry known = entries.get(slot);
        if (known != null && known.port == port && known.host.equals(host)) {
            return known.sentBy;
        }
        String sentBy = port > 0 ? host + ":" + port : host;
        entries.set(slot, new Entry(host, port, sentBy));
        return sentBy;
    }
}

package dev.sipedge.transaction;

import dev.sipedge.transaction.Transport.KeptDatagram;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * The final responses of one shard's non-INVITE server transactions that completed on UDP, kept
 * as the bytes that went out to answer retransmitted requests until Timer J (RFC 3261 §17.2.2);
 * and the keys alone of its INVITE server transactions that the TU settled in Accepted, to absorb
 * retransmitted INVITEs until Timer L (RFC 6026 §7.1; {@link ServerTransaction#settle}). Both
 * timers last 64*T1. The layer keeps a second store, of the keys alone of its non-INVITE client
 * transactions that completed on UDP, absorbing their retransmitted finals until Timer K (T4;
 * §17.1.2.2), a third, of the ACKs its INVITE client transactions sent on UDP after a failure,
 * as bytes, resent on each retransmitted failure until Timer D (§17.1.1.2), and a fourth, of the
 * keys alone of its INVITE server transactions confirmed on UDP by the ACK of a failure,
 * absorbing retransmitted ACKs and INVITEs until Timer I (T4; §17.2.1).
 *
 * <p>Why not the transactions themselves: at 1,000 calls/s some 32,000 of them are in Completed
 * at once, each as a dozen objects (the machine, its key and branch, a table node, a queue entry,
 * the kept bytes, what the TU attached) that outlive two young collections, so the collector copies
 * and promotes them all. Here a completed transaction is a slot in a few arrays, with its key's
 * characters and its response's bytes written into a shared chunk: the transaction object ends as
 * it hands over, and the store adds no object per transaction for the collector to copy (what
 * else still refers to the ended transaction keeps it as long as before).
 *
 * <p>Every entry of a store is kept for the same time, so entries come in deadline order: the store
 * is a ring, filled at the tail and expired from the head, and the chunks are written in the same
 * order, each dropped (or reused) when its last entry expires. A chained hash index over the
 * ring's slots finds an entry by key; a chain lists newer entries first, so the ring's head is
 * always the last of its chain. One timeout, for the head, expires every entry due in one hand-off
 * to the shard, no sooner than {@link LingerTimers#BATCH_WINDOW} after the previous expiry.
 *
 * <p>Confined to the shard, except the timeout's task, which only hands over.
 */
final class KeptFinals {
    /** A chunk holds ~150 entries of a typical call's 200 OK; a larger datagram gets a chunk of its own size. */
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int INITIAL_SLOTS = 16;
    private static final int NONE = -1;
    private static final byte[] NO_BYTES = new byte[0];

    // Per slot: INTS ints, REFS references, one deadline.
    private static final int HASH = 0;
    private static final int NEXT = 1;
    private static final int OFFSET = 2;
    private static final int BRANCH_LENGTH = 3;
    private static final int SENT_BY_LENGTH = 4;
    private static final int METHOD_LENGTH = 5;
    private static final int BYTES_LENGTH = 6;
    private static final int INTS = 7;
    private static final int CHUNK = 0;
    private static final int LOCAL = 1;
    private static final int TARGET = 2;
    private static final int REFS = 3;

    private final Timer timer;
    private final LongSupplier nanoClock;
    private final Consumer<Runnable> onShard;
    /** A keyed hash in production: the keys come from the requests' senders (see {@link KeyHash}). */
    private final ToIntFunction<TransactionKey> keyHash;

    private long[] deadlines;
    private int[] ints;
    private Object[] refs;
    /** Per bucket, the slot of its newest entry, or {@link #NONE}. */
    private int[] buckets;
    private int head;
    private int size;
    /** The chunk new entries are written to, and how much of it is written. */
    private byte[] writing;
    private int written;
    /** A chunk whose entries all expired, kept for the next one needed. */
    private byte[] spare;
    /** The timeout set for the head's deadline; null when the store is empty. */
    private Timeout armed;
    private long resent;

    KeptFinals(Timer timer, LongSupplier nanoClock, Consumer<Runnable> onShard, ToIntFunction<TransactionKey> keyHash) {
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.onShard = onShard;
        this.keyHash = keyHash;
        allocate(INITIAL_SLOTS);
    }

    /** Completed transactions kept here (part of {@code sipedge_transactions_active}). */
    int size() {
        return size;
    }

    /** Finals sent again since start (part of {@code sipedge_retransmissions_total}). */
    long resent() {
        return resent;
    }

    /**
     * Keeps {@code datagram} as the final response of the transaction {@code key} for {@code hold}
     * from now. False, and nothing kept, when the key has a character beyond Latin-1 (an RFC 2543
     * key made of a Request-URI can): such a transaction lingers as itself.
     */
    boolean keep(TransactionKey key, KeptDatagram datagram, Duration hold) {
        return add(key, datagram.bytes(), datagram.local(), datagram.target(), hold);
    }

    /**
     * Keeps only {@code key} for {@code hold} from now (a settled or confirmed INVITE server
     * transaction's, a completed non-INVITE client transaction's): what matches it is absorbed
     * ({@link #resend} sends nothing for it). False, and nothing kept, for a key beyond Latin-1,
     * as {@link #keep}.
     */
    boolean keepKey(TransactionKey key, Duration hold) {
        return add(key, NO_BYTES, null, null, hold);
    }

    private boolean add(TransactionKey key, byte[] bytes, InetSocketAddress local, InetSocketAddress target,
            Duration hold) {
        String branch = key.branch();
        String sentBy = key.sentBy();
        String method = key.method();
        if (!latin1(branch) || !latin1(sentBy) || !latin1(method)) {
            return false;
        }
        if (size == deadlines.length) {
            grow();
        }
        byte[] chunk = room(branch.length() + sentBy.length() + method.length() + bytes.length);
        int offset = written;
        int at = write(method, chunk, write(sentBy, chunk, write(branch, chunk, offset)));
        System.arraycopy(bytes, 0, chunk, at, bytes.length);
        written = at + bytes.length;

        int slot = (head + size) & (deadlines.length - 1);
        int hash = keyHash.applyAsInt(key);
        int bucket = bucketOf(hash);
        int i = slot * INTS;
        ints[i + HASH] = hash;
        ints[i + NEXT] = buckets[bucket];
        ints[i + OFFSET] = offset;
        ints[i + BRANCH_LENGTH] = branch.length();
        ints[i + SENT_BY_LENGTH] = sentBy.length();
        ints[i + METHOD_LENGTH] = method.length();
        ints[i + BYTES_LENGTH] = bytes.length;
        int r = slot * REFS;
        refs[r + CHUNK] = chunk;
        refs[r + LOCAL] = local;
        refs[r + TARGET] = target;
        deadlines[slot] = nanoClock.getAsLong() + hold.toNanos();
        buckets[bucket] = slot;
        size++;
        if (armed == null) {
            arm(hold.toNanos());
        }
        return true;
    }

    /**
     * Sends the final kept for {@code key} again through {@code transport}, or nothing for a
     * settled INVITE's key (the retransmission is absorbed); false when {@code key} is not kept.
     */
    boolean resend(TransactionKey key, Transport transport) {
        int slot = find(key);
        if (slot == NONE) {
            return false;
        }
        int i = slot * INTS;
        int r = slot * REFS;
        if (refs[r + TARGET] == null) {
            return true;
        }
        int keyLength = ints[i + BRANCH_LENGTH] + ints[i + SENT_BY_LENGTH] + ints[i + METHOD_LENGTH];
        // Counted before it is sent: a send from off the socket's event loop may be out at once.
        resent++;
        // Nobody to tell of a failure: the entry answers the next retransmission as before.
        transport.sendDatagram((byte[]) refs[r + CHUNK], ints[i + OFFSET] + keyLength, ints[i + BYTES_LENGTH],
                (InetSocketAddress) refs[r + LOCAL], (InetSocketAddress) refs[r + TARGET], null);
        return true;
    }

    /** Whether {@code key} is kept, final or key alone. */
    boolean contains(TransactionKey key) {
        return find(key) != NONE;
    }

    /** The slot kept for {@code key}, or {@link #NONE}. */
    private int find(TransactionKey key) {
        if (size == 0) {
            return NONE;
        }
        int hash = keyHash.applyAsInt(key);
        for (int slot = buckets[bucketOf(hash)]; slot != NONE; slot = ints[slot * INTS + NEXT]) {
            if (ints[slot * INTS + HASH] == hash && matches(slot, key)) {
                return slot;
            }
        }
        return NONE;
    }

    private boolean matches(int slot, TransactionKey key) {
        int i = slot * INTS;
        byte[] chunk = (byte[]) refs[slot * REFS + CHUNK];
        int at = ints[i + OFFSET];
        if (!same(chunk, at, ints[i + BRANCH_LENGTH], key.branch())) {
            return false;
        }
        at += ints[i + BRANCH_LENGTH];
        if (!same(chunk, at, ints[i + SENT_BY_LENGTH], key.sentBy())) {
            return false;
        }
        at += ints[i + SENT_BY_LENGTH];
        return same(chunk, at, ints[i + METHOD_LENGTH], key.method());
    }

    private static boolean same(byte[] chunk, int offset, int length, String s) {
        if (length != s.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if ((chunk[offset + k] & 0xff) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean latin1(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static int write(String s, byte[] chunk, int offset) {
        for (int k = 0; k < s.length(); k++) {
            chunk[offset + k] = (byte) s.charAt(k);
        }
        return offset + s.length();
    }

    /** The chunk to write {@code need} bytes to: the current one if they fit, else the spare or a new one. */
    private byte[] room(int need) {
        if (writing != null && writing.length - written >= need) {
            return writing;
        }
        if (spare != null && spare.length >= need) {
            writing = spare;
            spare = null;
        } else {
            writing = new byte[Math.max(CHUNK_BYTES, need)];
        }
        written = 0;
        return writing;
    }

    /** The longest chain of the index; for tests. */
    int longestChain() {
        int longest = 0;
        for (int first : buckets) {
            int length = 0;
            for (int slot = first; slot != NONE; slot = ints[slot * INTS + NEXT]) {
                length++;
            }
            longest = Math.max(longest, length);
        }
        return longest;
    }

    private int bucketOf(int hash) {
        return (hash ^ (hash >>> 16)) & (buckets.length - 1);
    }

    private void arm(long delayNanos) {
        TimerTask task = timeout -> onShard.accept(() -> expire(timeout));
        armed = timer.newTimeout(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** On the shard: drops every entry due, then sets the timeout for the next. */
    private void expire(Timeout fired) {
        if (fired != armed) {
            return;
        }
        armed = null;
        long now = nanoClock.getAsLong();
        while (size > 0 && deadlines[head] <= now) {
            removeHead();
        }
        if (size == 0) {
            release();
        } else {
            arm(Math.max(deadlines[head] - now, LingerTimers.BATCH_WINDOW.toNanos()));
        }
    }

    private void removeHead() {
        int slot = head;
        int i = slot * INTS;
        int bucket = bucketOf(ints[i + HASH]);
        if (buckets[bucket] == slot) {
            buckets[bucket] = NONE;
        } else {
            int before = buckets[bucket];
            while (ints[before * INTS + NEXT] != slot) {
                before = ints[before * INTS + NEXT];
            }
            ints[before * INTS + NEXT] = NONE;
        }
        int r = slot * REFS;
        byte[] chunk = (byte[]) refs[r + CHUNK];
        refs[r + CHUNK] = null;
        refs[r + LOCAL] = null;
        refs[r + TARGET] = null;
        head = (head + 1) & (deadlines.length - 1);
        size--;
        if (size > 0 && refs[head * REFS + CHUNK] == chunk) {
            return;
        }
        // That was the chunk's last entry.
        if (chunk == writing) {
            written = 0;
        } else if (chunk.length == CHUNK_BYTES) {
            spare = chunk;
        }
    }

    /** Empty: back to the first capacity, so a burst's arrays do not outlive it. */
    private void release() {
        head = 0;
        spare = null;
        if (deadlines.length > INITIAL_SLOTS) {
            allocate(INITIAL_SLOTS);
        }
    }

    private void allocate(int slots) {
        deadlines = new long[slots];
        ints = new int[slots * INTS];
        refs = new Object[slots * REFS];
        buckets = new int[slots * 2];
        Arrays.fill(buckets, NONE);
    }

    /** Doubles the ring, its entries from slot 0 in age order, and rebuilds the index (newest first in each chain). */
    private void grow() {
        long[] oldDeadlines = deadlines;
        int[] oldInts = ints;
        Object[] oldRefs = refs;
        allocate(oldDeadlines.length * 2);
        for (int k = 0; k < size; k++) {
            int from = (head + k) & (oldDeadlines.length - 1);
            deadlines[k] = oldDeadlines[from];
            System.arraycopy(oldInts, from * INTS, ints, k * INTS, INTS);
            System.arraycopy(oldRefs, from * REFS, refs, k * REFS, REFS);
            int bucket = bucketOf(ints[k * INTS + HASH]);
            ints[k * INTS + NEXT] = buckets[bucket];
            buckets[bucket] = k;
        }
        head = 0;
    }
}

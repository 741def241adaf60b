package dev.sipedge.transaction;

import java.security.SecureRandom;

/**
 * A keyed hash of transaction keys: SipHash-2-4 (Aumasson and Bernstein, 2012) under a secret
 * drawn at start. The branch and the sent-by of a key come from whoever sends the request, and
 * {@link String#hashCode} collisions are easy to build ("Aa" and "BB" hash alike, and so does every
 * string made of such blocks), so a sender could put thousands of keys in one chain of an index
 * hashed that way and make every lookup and expiry walk it. Under a secret key the sender cannot
 * know which keys collide.
 *
 * <p>A key is hashed as the words of its three fields, each field its length then its characters
 * four to a word, so that no two distinct keys give the same words. Not thread-safe: the state of
 * a hash in progress lives in the fields, so each shard's store has its own (no allocation per hash).
 */
final class KeyHash {
    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    private int bytes;

    KeyHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** A hash under a secret of its own, from the platform's strong random source. */
    static KeyHash secret() {
        SecureRandom random = new SecureRandom();
        return new KeyHash(random.nextLong(), random.nextLong());
    }

    /** {@code key}'s hash, folded to an int. */
    int of(TransactionKey key) {
        begin();
        field(key.branch());
        field(key.sentBy());
        field(key.method());
        long h = finish(0, 0);
        return (int) (h ^ (h >>> 32));
    }

    private void field(String s) {
        int length = s.length();
        word(length);
        int k = 0;
        for (; k + 4 <= length; k += 4) {
            word(s.charAt(k) | (long) s.charAt(k + 1) << 16 | (long) s.charAt(k + 2) << 32 | (long) s.charAt(k + 3) << 48);
        }
        if (k < length) {
            long last = 0;
            for (int shift = 0; k < length; k++, shift += 16) {
                last |= (long) s.charAt(k) << shift;
            }
            word(last);
        }
    }

    void begin() {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
        bytes = 0;
    }

    /** Eight more bytes of the message, little-endian in {@code m}. */
    void word(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
        bytes += 8;
    }

    /** The hash, after the message's last 0-7 bytes, little-endian in {@code tail}. */
    long finish(long tail, int tailBytes) {
        long b = tail | (long) (bytes + tailBytes) << 56;
        v3 ^= b;
        round();
        round();
        v0 ^= b;
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}

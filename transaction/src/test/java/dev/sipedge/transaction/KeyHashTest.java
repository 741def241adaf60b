package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The keyed hash of transaction keys: SipHash-2-4 as published, and keys that share a
 * {@link String#hashCode} (as a sender can make them) spread over the hash's values.
 */
class KeyHashTest {

    /** Keys whose branches all have the same String hash: every branch is 11 blocks of "Aa" or "BB". */
    static List<TransactionKey> collidingKeys(int blocks) {
        List<TransactionKey> keys = new ArrayList<>();
        for (int bits = 0; bits < 1 << blocks; bits++) {
            StringBuilder branch = new StringBuilder("z9hG4bK");
            for (int b = 0; b < blocks; b++) {
                branch.append((bits >> b & 1) == 0 ? "Aa" : "BB");
            }
            keys.add(new TransactionKey(branch.toString(), "192.0.2.1:5060", "BYE"));
        }
        return keys;
    }

    @Test
    void theReferenceVectorOfSipHash24() {
        // The paper's example: key 00..0f, message 00..0e (15 bytes).
        KeyHash hash = new KeyHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        hash.begin();
        hash.word(0x0706050403020100L);
        assertEquals(0xa129ca6149be45e5L, hash.finish(0x000e0d0c0b0a0908L, 7));
    }

    @Test
    void keysWithOneStringHashSpreadOverTheKeyedHash() {
        List<TransactionKey> keys = collidingKeys(11);
        Set<Integer> stringHashes = new HashSet<>();
        Set<Integer> keyedHashes = new HashSet<>();
        KeyHash hash = new KeyHash(12345, 67890);
        for (TransactionKey key : keys) {
            stringHashes.add(key.hashCode());
            keyedHashes.add(hash.of(key));
        }
        assertEquals(1, stringHashes.size(), "the attack: 2,048 keys, one String hash");
        // 2,048 random 32-bit values collide in pairs with probability ~0.05 %: allow a few.
        assertTrue(keyedHashes.size() >= keys.size() - 4, keyedHashes.size() + " distinct of " + keys.size());
    }

    @Test
    void theSameKeyHashesAlikeAndTheSecretChangesIt() {
        TransactionKey key = new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "BYE");
        KeyHash one = new KeyHash(1, 2);
        assertEquals(one.of(key), one.of(new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "BYE")));
        assertNotEquals(one.of(key), new KeyHash(1, 3).of(key));
    }

    @Test
    void fieldBoundariesAreHashed() {
        KeyHash hash = new KeyHash(1, 2);
        // Same characters in a row, split differently between the fields.
        assertNotEquals(hash.of(new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "BYE")),
                hash.of(new TransactionKey("z9hG4bK-11", "92.0.2.1:5060", "BYE")));
        assertNotEquals(hash.of(new TransactionKey("ab", "", "BYE")), hash.of(new TransactionKey("a", "b", "BYE")));
        // A character of 0 at the end of a field is not padding.
        assertNotEquals(hash.of(new TransactionKey("abc", "", "BYE")), hash.of(new TransactionKey("abc\0", "", "BYE")));
    }
}

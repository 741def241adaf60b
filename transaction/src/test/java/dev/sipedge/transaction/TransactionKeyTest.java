package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys' order, which the layer's tables fall back on when a sender makes keys share a hash:
 * consistent with equals, and a total order, so that a tree bin finds every key.
 */
class TransactionKeyTest {

    @Test
    void theOrderIsConsistentWithEquals() {
        List<TransactionKey> keys = new ArrayList<>(KeyHashTest.collidingKeys(4));
        keys.add(new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "BYE"));
        keys.add(new TransactionKey("z9hG4bK-1", "192.0.2.1:5060", "INVITE"));
        keys.add(new TransactionKey("z9hG4bK-1", "192.0.2.1:5061", "BYE"));
        keys.add(new TransactionKey("z9hG4bK-1", "", "BYE"));
        for (TransactionKey a : keys) {
            assertEquals(0, a.compareTo(new TransactionKey(a.branch(), a.sentBy(), a.method())));
            for (TransactionKey b : keys) {
                int ab = Integer.signum(a.compareTo(b));
                assertEquals(-ab, Integer.signum(b.compareTo(a)), a + " / " + b);
                assertEquals(a.equals(b), ab == 0, a + " / " + b);
                for (TransactionKey c : keys) {
                    if (ab < 0 && b.compareTo(c) < 0) {
                        assertEquals(-1, Integer.signum(a.compareTo(c)), a + " < " + b + " < " + c);
                    }
                }
            }
        }
    }

    @Test
    void aTableOfKeysThatShareAHashFindsEachOfThem() {
        List<TransactionKey> keys = KeyHashTest.collidingKeys(11);
        Map<TransactionKey, Integer> table = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            table.put(keys.get(i), i);
        }
        assertEquals(keys.size(), table.size());
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(i, table.get(new TransactionKey(keys.get(i).branch(), keys.get(i).sentBy(), "BYE")));
        }
        assertNotEquals(null, table.remove(keys.get(5)));
        assertEquals(null, table.get(keys.get(5)));
    }
}

package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing table against a {@link HashMap} doing the same, over many random steps. */
class DialogsBySequenceTest {

    private static Dialog dialog(long sequence) {
        return new Dialog(sequence, "call-" + sequence, 1, null, null, DialogOptions.TRACK, 0);
    }

    @Test
    void behavesLikeAHashMapThroughGrowthAndDeletions() {
        DialogsBySequence table = new DialogsBySequence();
        Map<Long, Dialog> reference = new HashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            // consecutive sequences as the cookie issues them, a few far ones, and 0 and negatives
            long key = random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(3000) - 10;
            int op = random.nextInt(10);
            if (op < 5) {
                Dialog d = dialog(key);
                table.put(key, d);
                reference.put(key, d);
            } else if (op < 8) {
                table.remove(key);
                reference.remove(key);
            } else {
                assertSame(reference.get(key), table.get(key), "step " + step + " key " + key);
            }
            if (step % 10_000 == 0) {
                assertSameContents(reference, table);
            }
        }
        assertSameContents(reference, table);
        for (Long key : List.copyOf(reference.keySet())) {
            table.remove(key);
        }
        assertEquals(0, table.size());
        assertEquals(List.of(), table.values());
    }

    @Test
    void putReplacesAndRemoveOfAnAbsentKeyChangesNothing() {
        DialogsBySequence table = new DialogsBySequence();
        Dialog first = dialog(7);
        Dialog second = dialog(7);
        table.put(7, first);
        table.put(7, second);
        assertSame(second, table.get(7));
        assertEquals(1, table.size());
        table.remove(8);
        assertEquals(1, table.size());
        table.remove(7);
        assertNull(table.get(7));
        assertEquals(0, table.size());
    }

    private static void assertSameContents(Map<Long, Dialog> reference, DialogsBySequence table) {
        assertEquals(reference.size(), table.size());
        for (Map.Entry<Long, Dialog> e : reference.entrySet()) {
            assertSame(e.getValue(), table.get(e.getKey()), "key " + e.getKey());
        }
        assertEquals(new HashSet<>(reference.values()), new HashSet<>(table.values()));
    }
}

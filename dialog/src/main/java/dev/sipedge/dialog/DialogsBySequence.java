package dev.sipedge.dialog;

import java.util.ArrayList;
import java.util.List;

/**
 * The dialogs of a shard by did sequence. A {@code HashMap<Long, Dialog>} spends about 64 bytes
 * an entry (node, boxed key, its share of the table) on what is a long and a reference; this
 * table keeps them in two arrays, open addressing with linear probing, at most 3/4 full, about
 * 24 bytes an entry. A slot is free when its value is null, so every long is a valid key.
 * Deletion shifts the following entries back instead of leaving tombstones, so lookups stay
 * short however many dialogs come and go. Confined to the owning shard.
 */
final class DialogsBySequence {
    private long[] keys = new long[16];
    private Dialog[] values = new Dialog[16];
    private int size;

    Dialog get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return null;
    }

    /** Maps {@code key} to {@code dialog}, replacing what it mapped to. */
    void put(long key, Dialog dialog) {
        if ((size + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = dialog;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = dialog;
        size++;
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int hole = slot(key, mask);
        while (values[hole] != null && keys[hole] != key) {
            hole = (hole + 1) & mask;
        }
        if (values[hole] == null) {
            return;
        }
        values[hole] = null;
        size--;
        // Move back every later entry of the run that may no longer be reachable past the hole:
        // one whose home slot is not cyclically between the hole and itself.
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                values[j] = null;
                hole = j;
            }
        }
    }

    int size() {
        return size;
    }

    List<Dialog> values() {
        List<Dialog> all = new ArrayList<>(size);
        for (Dialog d : values) {
            if (d != null) {
                all.add(d);
            }
        }
        return all;
    }

    private void grow() {
        long[] oldKeys = keys;
        Dialog[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Dialog[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    /** Sequences are consecutive: spread them so that neighbours do not fill one run. */
    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}

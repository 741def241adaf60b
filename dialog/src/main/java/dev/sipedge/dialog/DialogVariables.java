package dev.sipedge.dialog;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A dialog's values and flags, kept for its whole life. A dialog makes one on its first value or
 * flag, as most dialogs never get either (heap per dialog is a benchmark target). Touched only on
 * the dialog's shard, like the dialog itself.
 */
final class DialogVariables {
    private Map<String, String> values;
    private Set<String> flags;

    /** Stores {@code value} under {@code key}; null removes it. */
    void setValue(String key, String value) {
        if (value == null) {
            if (values != null) {
                values.remove(key);
            }
            return;
        }
        if (values == null) {
            values = new HashMap<>(4);
        }
        values.put(key, value);
    }

    String value(String key) {
        return values == null ? null : values.get(key);
    }

    /** A copy. */
    Map<String, String> values() {
        return values == null ? Map.of() : Map.copyOf(values);
    }

    void setFlag(String flag) {
        if (flags == null) {
            flags = new HashSet<>(4);
        }
        flags.add(flag);
    }

    void resetFlag(String flag) {
        if (flags != null) {
            flags.remove(flag);
        }
    }

    boolean isFlagSet(String flag) {
        return flags != null && flags.contains(flag);
    }

    /** A copy. */
    Set<String> flags() {
        return flags == null ? Set.of() : Set.copyOf(flags);
    }
}

package dev.sipedge.management;

import java.util.Map;
import java.util.TreeMap;

/**
 * A profile as the API shows it, read at one moment.
 *
 * @param size   dialogs in the profile, all values together
 * @param values dialogs per value (empty for a profile without value)
 */
public record ProfileView(String name, boolean withValue, int size, Map<String, Integer> values) {
    public ProfileView {
        values = new TreeMap<>(values);
    }

    public int size(String value) {
        return values.getOrDefault(value, 0);
    }
}

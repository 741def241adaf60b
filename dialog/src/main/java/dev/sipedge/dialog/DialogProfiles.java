package dev.sipedge.dialog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The profiles declared in {@code sipedge.dialog.profiles}; fixed at start, shared by all shards. */
public final class DialogProfiles {
    private final Map<String, DialogProfile> byName;

    DialogProfiles(List<String> withValue, List<String> noValue) {
        Map<String, DialogProfile> map = new LinkedHashMap<>();
        for (String name : withValue) {
            map.put(name, new DialogProfile(name, true));
        }
        for (String name : noValue) {
            map.put(name, new DialogProfile(name, false));
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The profile called {@code name}, or null. */
    public DialogProfile get(String name) {
        return byName.get(name);
    }

    public Collection<DialogProfile> all() {
        return byName.values();
    }
}

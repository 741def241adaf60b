package dev.sipedge.dialog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A named group of dialogs (OpenSIPS/Kamailio dialog profiles), with or without a value per
 * membership: "calls of caller alice" ({@code caller} with value {@code alice}) or "inbound calls".
 *
 * <p>Profiles span shards (alice's calls have different Call-IDs), so unlike dialogs they are
 * shared: a concurrent map from value to the set of member dialogs. The cap check and the insertion
 * happen in one atomic step per value ({@link #tryAdd}), so two shards cannot both take the last
 * place. A no-value profile keeps its members under the empty value.
 */
public final class DialogProfile {
    private static final String NO_VALUE = "";

    private final String name;
    private final boolean withValue;
    private final Map<String, Set<Dialog>> members = new ConcurrentHashMap<>();

    DialogProfile(String name, boolean withValue) {
        this.name = name;
        this.withValue = withValue;
    }

    public String name() {
        return name;
    }

    public boolean withValue() {
        return withValue;
    }

    /**
     * Adds {@code dialog} under {@code value} unless the value already holds {@code max} dialogs
     * ({@code max = 0}: no limit). Returns false when the cap refused it. Adding a dialog twice under
     * one value is a no-op that succeeds.
     */
    boolean tryAdd(Dialog dialog, String value, int max) {
        String key = key(value);
        boolean[] added = {false};
        members.compute(key, (k, set) -> {
            Set<Dialog> s = set != null ? set : ConcurrentHashMap.newKeySet();
            if (s.contains(dialog)) {
                added[0] = true;
            } else if (max <= 0 || s.size() < max) {
                added[0] = s.add(dialog);
            }
            return s.isEmpty() ? null : s;
        });
        return added[0];
    }

    /** Removes the membership; true when there was one. */
    boolean remove(Dialog dialog, String value) {
        String key = key(value);
        boolean[] removed = {false};
        members.computeIfPresent(key, (k, set) -> {
            removed[0] = set.remove(dialog);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    /** True when {@code dialog} is in the profile under any value. */
    public boolean isIn(Dialog dialog) {
        for (Set<Dialog> set : members.values()) {
            if (set.contains(dialog)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code dialog} is in the profile under {@code value}. */
    public boolean isIn(Dialog dialog, String value) {
        Set<Dialog> set = members.get(key(value));
        return set != null && set.contains(dialog);
    }

    /** Dialogs in the profile, all values together. */
    public int size() {
        int n = 0;
        for (Set<Dialog> set : members.values()) {
            n += set.size();
        }
        return n;
    }

    /** Dialogs in the profile under {@code value}. */
    public int size(String value) {
        Set<Dialog> set = members.get(key(value));
        return set == null ? 0 : set.size();
    }

    /** Dialogs per value, values sorted (empty for a profile without value). */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new TreeMap<>();
        if (withValue) {
            members.forEach((value, set) -> {
                if (!set.isEmpty()) {
                    out.put(value, set.size());
                }
            });
        }
        return out;
    }

    /** The values with at least one dialog (empty for a profile without value). */
    public List<String> values() {
        return withValue ? List.copyOf(members.keySet()) : List.of();
    }

    /**
     * The member dialogs under {@code value} (any value when null). The dialogs belong to their
     * shards: read only their immutable identity ({@link Dialog#id()}, {@link Dialog#callId()})
     * from another thread.
     */
    public List<Dialog> dialogs(String value) {
        List<Dialog> out = new ArrayList<>();
        if (value == null) {
            members.values().forEach(out::addAll);
        } else {
            Set<Dialog> set = members.get(key(value));
            if (set != null) {
                out.addAll(set);
            }
        }
        return out;
    }

    private String key(String value) {
        if (!withValue) {
            return NO_VALUE;
        }
        if (value == null) {
            throw new IllegalArgumentException("profile " + name + " needs a value");
        }
        return value;
    }
}

package dev.sipedge.recordroute;

import gov.nist.javax.sip.address.SipUri;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The URI parameters we carry in our own Record-Route entries and read back from the matching
 * Route entry of sequential requests: the hook the dialog module uses for its {@code did}
 * cookie (as Kamailio's {@code add_rr_param} / {@code get_route_param}).
 *
 * <p>Immutable, ordered by insertion. Names are case-insensitive (RFC 3261 §19.1.4) and stored
 * lower-cased. A value of {@code null} is a flag parameter ({@code ;name}). The parameters that
 * the record-route layer writes itself ({@code lr}, {@code transport}, {@code maddr}) are not
 * user parameters: they are refused by {@link #with} and left out when reading a Route back.
 */
public final class RouteParams {

    /** No parameters. */
    public static final RouteParams EMPTY = new RouteParams(Map.of());

    static final Set<String> RESERVED = Set.of("lr", "transport", "maddr");

    private final Map<String, String> values;

    private RouteParams(Map<String, String> values) {
        this.values = values;
    }

    /** A copy with {@code name} set to {@code value} ({@code null} for a flag parameter). */
    public RouteParams with(String name, String value) {
        String key = checkName(name);
        if (value != null && !isToken(value)) {
            throw new IllegalArgumentException("parameter value is not a SIP token: " + value);
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new RouteParams(Collections.unmodifiableMap(copy));
    }

    /** A copy without {@code name}. */
    public RouteParams without(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!values.containsKey(key)) {
            return this;
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return copy.isEmpty() ? EMPTY : new RouteParams(Collections.unmodifiableMap(copy));
    }

    /** The value of {@code name}; {@code null} when absent or when it is a flag. */
    public String get(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    /** True when {@code name} is present (with a value or as a flag). */
    public boolean has(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Read-only name -> value view (values may be {@code null}), in insertion order. */
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * Parameters read from a URI, skipping the reserved ones. Used by the routers; values are
     * taken as they were received, without the token check that {@link #with} applies.
     */
    static RouteParams fromUri(SipUri uri) {
        Map<String, String> read = new LinkedHashMap<>();
        var names = uri.getParameterNames();
        while (names.hasNext()) {
            String name = names.next();
            String key = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(key)) {
                continue;
            }
            String value = uri.getParameter(name);
            read.put(key, value == null || value.isEmpty() ? null : value);
        }
        return read.isEmpty() ? EMPTY : new RouteParams(Collections.unmodifiableMap(read));
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.toLowerCase(Locale.ROOT);
        if (key.isEmpty() || !isToken(key)) {
            throw new IllegalArgumentException("parameter name is not a SIP token: " + name);
        }
        if (RESERVED.contains(key)) {
            throw new IllegalArgumentException("parameter is written by the record-route layer: " + name);
        }
        return key;
    }

    /**
     * The characters that are both an RFC 3261 §25.1 {@code token} and an unescaped URI
     * {@code paramchar} (alphanumerics and {@code - . ! ~ * ' _ +}), so a value written here
     * reads back unchanged after any hop re-encodes the URI.
     */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!~*'_+".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteParams other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(';').append(k).append(v == null ? "" : "=" + v));
        return sb.toString();
    }
}

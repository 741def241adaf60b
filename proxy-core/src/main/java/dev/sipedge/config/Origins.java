package dev.sipedge.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a value of the configuration was set, said the way an operator looks for it, and the
 * value at a key path written with list indexes ({@code sipedge.routes[0].dialog}).
 */
final class Origins {
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private Origins() {
    }

    /**
     * {@code file:line}, {@code system property -Dsipedge.x}, {@code default in reference.conf:N},
     * or Typesafe Config's own description.
     */
    static String describe(ConfigOrigin origin, String key) {
        if (origin.filename() != null) {
            return origin.filename() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "");
        }
        String description = origin.description();
        if (description.contains("system propert")) {
            return "system property -D" + key;
        }
        if (origin.resource() != null) {
            // a default: the problem is a key set elsewhere that this default does not fit
            return "default in " + origin.resource() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "");
        }
        return description;
    }

    /** The value at {@code path} or, when the path goes further than the config, at its deepest existing part. */
    static ConfigValue deepest(ConfigObject root, String path) {
        ConfigValue at = root;
        for (String segment : segments(path)) {
            ConfigValue next = child(at, segment);
            if (next == null) {
                break;
            }
            at = next;
        }
        return at;
    }

    /** True when every segment of {@code path} exists in {@code root}. */
    static boolean exists(ConfigObject root, String path) {
        ConfigValue at = root;
        for (String segment : segments(path)) {
            at = child(at, segment);
            if (at == null) {
                return false;
            }
        }
        return true;
    }

    private static ConfigValue child(ConfigValue at, String segment) {
        if (segment.startsWith("[") && at instanceof ConfigList list) {
            int index = Integer.parseInt(segment.substring(1, segment.length() - 1));
            return index < list.size() ? list.get(index) : null;
        }
        if (!segment.startsWith("[") && at instanceof ConfigObject object) {
            return object.get(segment);
        }
        return null;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            segments.add(m.group(1) != null ? m.group(1) : "[" + m.group(2) + "]");
        }
        return segments;
    }
}

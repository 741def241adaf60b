package dev.sipedge.lifecycle;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The keys under {@code sipedge} whose values differ between two resolved configurations, as
 * full paths ({@code sipedge.dialog.match-mode}). Objects are compared key by key down to the
 * leaves; a list (such as {@code sipedge.routes}) is one value. Values compare by content, not by
 * the file and line they came from.
 */
final class ConfigDiff {
    private static final String ROOT = "sipedge";

    private ConfigDiff() {
    }

    /** Changed, added and removed keys under {@code sipedge}, sorted. */
    static List<String> between(Config before, Config after) {
        List<String> out = new ArrayList<>();
        List<String> path = new ArrayList<>(List.of(ROOT));
        compare(path, value(before), value(after), out);
        return List.copyOf(out);
    }

    private static ConfigValue value(Config root) {
        return root.hasPathOrNull(ROOT) ? root.root().get(ROOT) : null;
    }

    private static void compare(List<String> path, ConfigValue before, ConfigValue after, List<String> out) {
        if (before instanceof ConfigObject a && after instanceof ConfigObject b) {
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String key : keys) {
                path.add(key);
                compare(path, a.get(key), b.get(key), out);
                path.remove(path.size() - 1);
            }
        } else if (!Objects.equals(before, after)) {
            out.add(ConfigUtil.joinPath(path));
        }
    }
}

package dev.sipedge.proxy.routing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.sipedge.dialog.DialogOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code sipedge.routes} into {@link RouteRule}s, failing at start-up on bad entries. */
public final class RouteRules {
    private RouteRules() {
    }

    public static List<RouteRule> from(List<? extends Config> entries) {
        List<RouteRule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            rules.add(rule(i, entries.get(i)));
        }
        return rules;
    }

    private static RouteRule rule(int index, Config c) {
        RouteMatch match = c.hasPath("match") ? match(index, c.getConfig("match")) : RouteMatch.ANY;
        List<String> hops;
        if (!c.hasPath("next-hop")) {
            throw new ConfigException.Missing("sipedge.routes[" + index + "].next-hop");
        }
        if (c.getValue("next-hop").valueType() == ConfigValueType.LIST) {
            hops = c.getStringList("next-hop");
        } else {
            hops = List.of(c.getString("next-hop"));
        }
        DialogOptions dialog = DialogOptions.NONE;
        if (c.hasPath("dialog")) {
            String where = "sipedge.routes[" + index + "].dialog";
            try {
                dialog = DialogOptions.from(c.getConfig("dialog"), where);
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(where, e.getMessage());
            }
        }
        return new RouteRule(index, match, hops, dialog);
    }

    private static RouteMatch match(int index, Config m) {
        Set<String> methods = new LinkedHashSet<>();
        if (m.hasPath("methods")) {
            for (String method : m.getStringList("methods")) {
                methods.add(method.toUpperCase(Locale.ROOT));
            }
        }
        Map<String, Pattern> headers = new LinkedHashMap<>();
        if (m.hasPath("headers")) {
            Config h = m.getConfig("headers");
            for (String name : h.root().keySet()) {
                headers.put(name, regex(index, name, h.getString("\"" + name + "\"")));
            }
        }
        return new RouteMatch(methods, optional(index, m, "request-uri"), optional(index, m, "from"),
                optional(index, m, "to"), headers);
    }

    private static Pattern optional(int index, Config m, String key) {
        return m.hasPath(key) ? regex(index, key, m.getString(key)) : null;
    }

    private static Pattern regex(int index, String key, String value) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new ConfigException.BadValue("sipedge.routes[" + index + "].match." + key, e.getMessage());
        }
    }
}

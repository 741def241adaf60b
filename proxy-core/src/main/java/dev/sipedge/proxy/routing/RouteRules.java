package dev.sipedge.proxy.routing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.sipedge.dialog.DialogOptions;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.sip.address.URI;

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
            // its IllegalArgumentExceptions start with this key path, as every settings error does
            dialog = DialogOptions.from(c.getConfig("dialog"), "sipedge.routes[" + index + "].dialog");
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
                headers.put(name, regex(index, h, "headers." + name, "\"" + name + "\""));
            }
        }
        return new RouteMatch(methods, optional(index, m, "request-uri"), optional(index, m, "from"),
                optional(index, m, "to"), headers);
    }

    private static Pattern optional(int index, Config m, String key) {
        return m.hasPath(key) ? regex(index, m, key, key) : null;
    }

    private static Pattern regex(int index, Config m, String key, String configPath) {
        try {
            return Pattern.compile(m.getString(configPath));
        } catch (PatternSyntaxException e) {
            throw new ConfigException.BadValue(m.getValue(configPath).origin(), "sipedge.routes[" + index + "].match." + key,
                    "expected a regular expression: " + e.getDescription());
        }
    }

    /** The parsed next hops of each rule (in rule order); a bad URI fails naming its route. */
    public static List<List<URI>> nextHopUris(List<RouteRule> rules) {
        StringMsgParser parser = new StringMsgParser();
        List<List<URI>> all = new ArrayList<>();
        for (RouteRule rule : rules) {
            List<URI> uris = new ArrayList<>();
            for (String hop : rule.nextHops()) {
                try {
                    uris.add(parser.parseUrl(hop));
                } catch (ParseException e) {
                    throw new IllegalArgumentException("sipedge.routes[" + rule.index() + "].next-hop: expected a SIP URI,"
                            + " got '" + hop + "'", e);
                }
            }
            all.add(List.copyOf(uris));
        }
        return all;
    }
}

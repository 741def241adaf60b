package dev.sipedge.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the settings records and Typesafe Config throw into a {@link ConfigError}. The
 * settings records (and the parsers they call) follow one convention: the message of an
 * {@link IllegalArgumentException} about a configured value starts with the full key path
 * ({@code "sipedge.listen[0]: bad port in ..."}); a block may name a key inside it next
 * ({@code "sipedge.routes[0].dialog: ping-caller: ..."}). The origin is looked up at that path.
 */
final class SettingsErrors {
    private static final Pattern LEADING_KEY = Pattern.compile("^(sipedge(?:\\.[A-Za-z0-9_-]+|\\[\\d+])*)(?::\\s*|\\s+|$)");
    private static final Pattern INNER_KEY = Pattern.compile("^([A-Za-z0-9_-]+(?:\\[\\d+])?):\\s*");
    private static final Pattern BAD_VALUE_KEY = Pattern.compile("^Invalid value at '([^']+)': ");

    private SettingsErrors() {
    }

    static ConfigError of(IllegalArgumentException e, ConfigObject root) {
        String message = e.getMessage() == null ? "invalid value" : e.getMessage();
        Matcher m = LEADING_KEY.matcher(message);
        if (!m.find()) {
            return new ConfigError("sipedge", "configuration", message);
        }
        String key = m.group(1);
        String problem = message.substring(m.end());
        for (Matcher inner = INNER_KEY.matcher(problem); inner.find(); inner = INNER_KEY.matcher(problem)) {
            String deeper = key + "." + inner.group(1);
            if (!Origins.exists(root, deeper)) {
                break;
            }
            key = deeper;
            problem = problem.substring(inner.end());
        }
        return new ConfigError(key, Origins.describe(Origins.deepest(root, key).origin(), key), problem);
    }

    /** A parse error, an unresolved substitution, or a value a reader refused. */
    static ConfigError of(ConfigException e) {
        ConfigOrigin origin = e.origin();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (origin != null && message.startsWith(origin.description() + ": ")) {
            message = message.substring(origin.description().length() + 2);
        }
        String key = e instanceof ConfigException.UnresolvedSubstitution ? "substitution"
                : e instanceof ConfigException.Parse ? "syntax" : "sipedge";
        Matcher m = BAD_VALUE_KEY.matcher(message);
        if (m.find()) {
            key = m.group(1);
            message = message.substring(m.end());
        }
        return new ConfigError(key, origin == null ? "configuration" : Origins.describe(origin, key), message);
    }
}

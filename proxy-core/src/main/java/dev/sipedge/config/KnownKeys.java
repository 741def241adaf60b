package dev.sipedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sipedge.config.ConfigShape.Block;
import dev.sipedge.config.ConfigShape.FreeBlock;
import dev.sipedge.config.ConfigShape.Leaf;
import dev.sipedge.config.ConfigShape.ListOf;
import dev.sipedge.dialog.DialogOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every key sipedge knows, as a {@link ConfigShape}: the merged reference.conf of all modules
 * (a key whose default is null is known too) plus the schema of a {@code sipedge.routes} entry,
 * which has no default to learn from. A key added to any reference.conf is known without a
 * change here.
 */
final class KnownKeys {
    private static final Leaf STRING = new Leaf(ValueKind.STRING, false);
    private static final Leaf REGEX = new Leaf(ValueKind.REGEX, false);

    private KnownKeys() {
    }

    /** The shape of {@code sipedge} from the resolved reference.conf files (without system properties). */
    static Block sipedge(Config reference) {
        Map<String, ConfigShape> keys = new HashMap<>(fromDefaults(reference.getObject("sipedge")).keys());
        keys.put("routes", new ListOf(route()));
        return new Block(keys, Set.of());
    }

    private static Block fromDefaults(ConfigObject defaults) {
        Map<String, ConfigShape> keys = new HashMap<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            ConfigValue value = e.getValue();
            keys.put(e.getKey(), value.valueType() == ConfigValueType.OBJECT
                    ? fromDefaults((ConfigObject) value)
                    : new Leaf(ValueKind.ofDefault(value), value.valueType() == ConfigValueType.NULL));
        }
        return new Block(keys, Set.of());
    }

    /** One route: what RouteRules and DialogOptions read. */
    static Block route() {
        Block match = new Block(Map.of(
                "methods", new Leaf(ValueKind.STRING_LIST, false),
                "request-uri", REGEX,
                "from", REGEX,
                "to", REGEX,
                "headers", new FreeBlock(REGEX)), Set.of());
        return new Block(Map.of(
                "match", match,
                "next-hop", new Leaf(ValueKind.URI_OR_LIST, false),
                "dialog", dialogBlock()), Set.of("next-hop"));
    }

    private static Block dialogBlock() {
        Map<String, ConfigShape> typed = Map.of(
                "track", new Leaf(ValueKind.BOOLEAN, false),
                "timeout", new Leaf(ValueKind.DURATION, false),
                "bye-on-timeout", new Leaf(ValueKind.BOOLEAN, false),
                "ping-caller", STRING,
                "ping-callee", STRING,
                "profiles", new ListOf(profileEntry()));
        // DialogOptions owns the key set; a key it learns is accepted here before it is typed here
        Map<String, ConfigShape> keys = new HashMap<>();
        for (String key : DialogOptions.KEYS) {
            keys.put(key, typed.getOrDefault(key, new Leaf(ValueKind.ANY, true)));
        }
        return new Block(keys, Set.of());
    }

    private static Block profileEntry() {
        Map<String, ConfigShape> typed = Map.of(
                "name", STRING,
                "value", STRING,
                "max", new Leaf(ValueKind.WHOLE_NUMBER, false),
                "reject", new Leaf(ValueKind.WHOLE_NUMBER, false));
        Map<String, ConfigShape> keys = new HashMap<>();
        for (String key : DialogOptions.PROFILE_KEYS) {
            keys.put(key, typed.getOrDefault(key, new Leaf(ValueKind.ANY, true)));
        }
        return new Block(keys, Set.of("name"));
    }
}

package dev.sipedge.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sipedge.config.ConfigShape.Block;
import dev.sipedge.config.ConfigShape.FreeBlock;
import dev.sipedge.config.ConfigShape.Leaf;
import dev.sipedge.config.ConfigShape.ListOf;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Holds a configuration value against its {@link ConfigShape}: unknown keys (with the closest
 * known one), missing required keys, values of the wrong kind. Keys are visited in the order they
 * were written, so the error reported is the first one in the file.
 */
final class ShapeCheck {
    private static final int SHOWN_VALUE = 60;

    private ShapeCheck() {
    }

    static Optional<ConfigError> check(String path, ConfigValue value, ConfigShape shape) {
        if (value.valueType() == ConfigValueType.NULL) {
            return shape instanceof Leaf leaf && leaf.nullable() ? Optional.empty()
                    : error(path, value, "expected " + shape.expected() + ", got null");
        }
        if (shape instanceof Leaf leaf) {
            return leaf.kind().accepts(value) ? Optional.empty()
                    : error(path, value, "expected " + leaf.expected() + ", got " + shown(value) + why(leaf, value));
        }
        if (shape instanceof ListOf list) {
            if (!(value instanceof ConfigList elements)) {
                return error(path, value, "expected " + list.expected() + ", got " + shown(value));
            }
            for (int i = 0; i < elements.size(); i++) {
                Optional<ConfigError> e = check(path + "[" + i + "]", elements.get(i), list.element());
                if (e.isPresent()) {
                    return e;
                }
            }
            return Optional.empty();
        }
        if (!(value instanceof ConfigObject object)) {
            return error(path, value, "expected " + shape.expected() + ", got " + shown(value));
        }
        if (shape instanceof FreeBlock free) {
            for (Map.Entry<String, ConfigValue> e : inWrittenOrder(object)) {
                Optional<ConfigError> error = check(path + "." + e.getKey(), e.getValue(), free.values());
                if (error.isPresent()) {
                    return error;
                }
            }
            return Optional.empty();
        }
        return block(path, object, (Block) shape);
    }

    private static Optional<ConfigError> block(String path, ConfigObject object, Block block) {
        for (Map.Entry<String, ConfigValue> e : inWrittenOrder(object)) {
            String key = path + "." + e.getKey();
            ConfigShape known = block.keys().get(e.getKey());
            if (known == null) {
                return error(key, e.getValue(), unknown(e.getKey(), block));
            }
            Optional<ConfigError> error = check(key, e.getValue(), known);
            if (error.isPresent()) {
                return error;
            }
        }
        for (String required : new TreeSet<>(block.required())) {
            if (!object.containsKey(required)) {
                return error(path + "." + required, object, "missing; expected "
                        + block.keys().get(required).expected() + " here");
            }
        }
        return Optional.empty();
    }

    private static String unknown(String key, Block block) {
        return Suggestions.closest(key, block.keys().keySet())
                .map(s -> "unknown key; did you mean " + s + "?")
                .orElseGet(() -> "unknown key; expected one of " + String.join(", ", new TreeSet<>(block.keys().keySet())));
    }

    private static List<Map.Entry<String, ConfigValue>> inWrittenOrder(ConfigObject object) {
        return object.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    private static Optional<ConfigError> error(String key, ConfigValue at, String problem) {
        return Optional.of(new ConfigError(key, Origins.describe(at.origin(), key), problem));
    }

    /** For a regex that does not compile, what the compiler says (a string is what was expected). */
    private static String why(Leaf leaf, ConfigValue value) {
        if (leaf.kind() != ValueKind.REGEX || value.valueType() != ConfigValueType.STRING) {
            return "";
        }
        try {
            Pattern.compile((String) value.unwrapped());
            return "";
        } catch (PatternSyntaxException e) {
            return " (" + e.getDescription() + ")";
        }
    }

    private static String shown(ConfigValue value) {
        String text = value.render(ConfigRenderOptions.concise());
        return text.length() <= SHOWN_VALUE ? text : text.substring(0, SHOWN_VALUE) + "...";
    }
}

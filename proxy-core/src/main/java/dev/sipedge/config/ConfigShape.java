package dev.sipedge.config;

import java.util.Map;
import java.util.Set;

/**
 * The shape a part of the configuration must have: which keys a block may hold, which of them it
 * must hold, and what kind of value each one is. {@link KnownKeys} builds it from reference.conf
 * and the schema of a route entry; {@link ShapeCheck} holds a configuration against it.
 */
sealed interface ConfigShape {

    /** What the operator is told was expected here. */
    String expected();

    /** A block with a closed set of keys. */
    record Block(Map<String, ConfigShape> keys, Set<String> required) implements ConfigShape {
        public Block {
            keys = Map.copyOf(keys);
            required = Set.copyOf(required);
        }

        @Override
        public String expected() {
            return "a block { ... }";
        }
    }

    /** A block whose keys are free (a route's {@code match.headers}: any header name). */
    record FreeBlock(ConfigShape values) implements ConfigShape {
        @Override
        public String expected() {
            return "a block { name = value, ... }";
        }
    }

    /** A list whose every element has the same shape. */
    record ListOf(ConfigShape element) implements ConfigShape {
        @Override
        public String expected() {
            return "a list [ ... ]";
        }
    }

    /** A single value; {@code nullable} when its default is null. */
    record Leaf(ValueKind kind, boolean nullable) implements ConfigShape {
        @Override
        public String expected() {
            return kind.expected();
        }
    }
}

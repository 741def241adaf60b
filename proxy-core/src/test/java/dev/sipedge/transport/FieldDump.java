package dev.sipedge.transport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Calendar;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every field of an object graph, by reflection, as text: what "the same objects" means in the
 * differential tests. JAIN-SIP's own {@code debugDump} skips what is behind its maps (a
 * parameter's value and flag), which is where two parsers most easily differ.
 */
final class FieldDump {
    private final StringBuilder out = new StringBuilder();
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();

    private FieldDump() {
    }

    static String of(Object root) {
        FieldDump dump = new FieldDump();
        dump.write(root, 0);
        return dump.out.toString();
    }

    private void write(Object value, int depth) {
        if (value == null) {
            out.append("null");
            return;
        }
        Class<?> type = value.getClass();
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Enum) {
            out.append(type.getSimpleName()).append(' ').append(value);
            return;
        }
        if (value instanceof Class<?> c) {
            out.append("class ").append(c.getName());
            return;
        }
        if (seen.put(value, Boolean.TRUE) != null) {
            out.append("(seen ").append(type.getSimpleName()).append(')');
            return;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append("map {");
            sorted.forEach((k, v) -> {
                newline(depth + 1).append(k).append(" = ");
                write(v, depth + 1);
            });
            newline(depth).append('}');
            return;
        }
        if (value instanceof Collection<?> items) {
            out.append("list [");
            for (Object item : items) {
                newline(depth + 1);
                write(item, depth + 1);
            }
            newline(depth).append(']');
            return;
        }
        if (value instanceof Calendar calendar) {
            // JAIN-SIP keeps the milliseconds of the moment it parsed a Date: not part of the header
            out.append("calendar ").append(calendar.toInstant().getEpochSecond());
            return;
        }
        if (type.getName().startsWith("java.")) {
            out.append(type.getSimpleName()).append(' ').append(value);
            return;
        }
        // The plain path's Call-ID is JAIN-SIP's with a memo of its own encoding (a derived value):
        // it stands for the CallID it extends, and the memo is no part of what was parsed.
        Class<?> shown = type == ParsedCallId.class ? type.getSuperclass() : type;
        out.append(shown.getName()).append(" {");
        for (Class<?> c = shown; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                newline(depth + 1).append(field.getName()).append(": ");
                try {
                    write(field.get(value), depth + 1);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        newline(depth).append('}');
    }

    private StringBuilder newline(int depth) {
        return out.append('\n').append("  ".repeat(depth));
    }
}

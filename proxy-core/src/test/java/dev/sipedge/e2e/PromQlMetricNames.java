package dev.sipedge.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers
 * ({@code {...}}), ranges ({@code [...]}), grouping clauses ({@code by (...)}, {@code on (...)},
 * ...), function names, keywords and numbers are taken out. Enough for the expressions of a
 * dashboard and alert rules; not a PromQL parser.
 */
final class PromQlMetricNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    /** An identifier that is not the tail of a number, a duration or a $variable. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
    /** Grafana's variable query {@code label_values(metric, label)}. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    private PromQlMetricNames() {
    }

    /** The metric names {@code expr} selects. */
    static Set<String> of(String expr) {
        String rest = STRINGS.matcher(expr).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group();
            boolean call = rest.substring(m.end()).stripLeading().startsWith("(");
            if (!call && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The metric of a Grafana variable query {@code label_values(metric, label)}; empty otherwise. */
    static Set<String> ofVariableQuery(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        return m.find() ? Set.of(m.group(1)) : Set.of();
    }
}

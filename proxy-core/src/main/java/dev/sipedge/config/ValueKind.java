package dev.sipedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The kinds of single values the configuration holds, each with the test a value must pass. The
 * tests read the value the way the settings records will ({@code getDuration}, {@code getInt},
 * ...), so a string from a system property ({@code -Dsipedge.workers=4}) passes where a number
 * is expected, as it will when read.
 */
enum ValueKind {
    BOOLEAN("true or false"),
    WHOLE_NUMBER("a whole number"),
    DURATION("a duration such as 500ms, 40s or 12h"),
    STRING("a string"),
    STRING_LIST("a list of strings [\"...\", ...]"),
    REGEX("a regular expression (a string)"),
    URI_OR_LIST("a SIP URI or a list of SIP URIs"),
    ANY("any value");

    private static final String KEY = "v";

    private final String expected;

    ValueKind(String expected) {
        this.expected = expected;
    }

    String expected() {
        return expected;
    }

    /** True when {@code value} (not null) can be read as this kind. */
    boolean accepts(ConfigValue value) {
        Config c = ConfigFactory.empty().withValue(KEY, value);
        try {
            switch (this) {
                case BOOLEAN -> c.getBoolean(KEY);
                case WHOLE_NUMBER -> {
                    double d = c.getNumber(KEY).doubleValue();
                    return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
                }
                case DURATION -> c.getDuration(KEY);
                case STRING -> {
                    return value.valueType() != ConfigValueType.LIST && value.valueType() != ConfigValueType.OBJECT;
                }
                case STRING_LIST -> c.getStringList(KEY);
                case REGEX -> {
                    if (value.valueType() != ConfigValueType.STRING) {
                        return false;
                    }
                    Pattern.compile(c.getString(KEY));
                }
                case URI_OR_LIST -> {
                    if (value.valueType() == ConfigValueType.LIST) {
                        return !c.getStringList(KEY).isEmpty();
                    }
                    return value.valueType() == ConfigValueType.STRING;
                }
                case ANY -> {
                    return true;
                }
                default -> throw new IllegalStateException("unhandled kind " + this);
            }
            return true;
        } catch (ConfigException | PatternSyntaxException e) {
            return false;     // the caller reports what was expected
        }
    }

    /** The kind a reference.conf default implies: {@code 40s} is a duration, {@code "did"} a string. */
    static ValueKind ofDefault(ConfigValue value) {
        return switch (value.valueType()) {
            case BOOLEAN -> BOOLEAN;
            case NUMBER -> WHOLE_NUMBER;
            case LIST -> STRING_LIST;
            case STRING -> DURATION.accepts(value) && !value.unwrapped().toString().matches("\\d+")
                    ? DURATION : STRING;
            default -> STRING;  // null: a string when set (advertised-address, node-id, token)
        };
    }
}

package dev.sipedge.config;

import java.util.Objects;

/**
 * What is wrong with a configuration, as the operator sees it: the key (or "syntax" for a file
 * that does not parse), where it was set, and what was expected.
 *
 * @param key     full key path ({@code sipedge.routes[0].match.methods}), or {@code syntax}
 * @param origin  {@code file:line}, {@code system property -Dsipedge.x}, or the origin Typesafe Config gave
 * @param problem what is wrong and what was expected
 */
public record ConfigError(String key, String origin, String problem) {
    public ConfigError {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(problem, "problem");
    }

    /** The one line written to stderr: no stack trace, no line breaks. */
    public String line() {
        return ("sipedge: bad configuration: " + key + " (" + origin + "): " + problem).replaceAll("[\\r\\n]+", " ");
    }
}

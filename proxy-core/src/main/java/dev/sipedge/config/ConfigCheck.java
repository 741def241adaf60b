package dev.sipedge.config;

/** The outcome of {@link ConfigChecker#check}: the settings to run with, or the first error. */
public sealed interface ConfigCheck {

    /** Every key is known and every value is good. */
    record Accepted(ProxySettings settings) implements ConfigCheck {
    }

    /** The first problem found; the process must not start with this configuration. */
    record Rejected(ConfigError error) implements ConfigCheck {
    }
}

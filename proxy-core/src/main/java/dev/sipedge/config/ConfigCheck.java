package dev.sipedge.config;

import com.typesafe.config.Config;

/** The outcome of {@link ConfigChecker#check}: the settings to run with, or the first error. */
public sealed interface ConfigCheck {

    /**
     * Every key is known and every value is good.
     *
     * @param config   the configuration as read (a reload compares the next one with it)
     * @param settings what the settings records made of it
     */
    record Accepted(Config config, ProxySettings settings) implements ConfigCheck {
    }

    /** The first problem found; the process must not start with this configuration. */
    record Rejected(ConfigError error) implements ConfigCheck {
    }
}

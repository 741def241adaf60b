package dev.sipedge.lifecycle;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the process's configuration comes from, so that a reload reads it the way the start did:
 * the file given with {@code --config} (system properties such as {@code -Dsipedge.workers=4}
 * over the file, the file over every module's {@code reference.conf}), or without a file
 * Typesafe Config's own lookup ({@code -Dconfig.file}, {@code application.conf}, references).
 * Reading does file I/O: never on an event loop or shard.
 */
public final class ConfigSource {
    private final File file;

    private ConfigSource(File file) {
        this.file = file;
    }

    /** The configuration in {@code file}, with system properties over it. */
    public static ConfigSource file(File file) {
        return new ConfigSource(Objects.requireNonNull(file, "file"));
    }

    /** Typesafe Config's default lookup ({@code ConfigFactory.load()}). */
    public static ConfigSource defaultLookup() {
        return new ConfigSource(null);
    }

    public Optional<File> configFile() {
        return Optional.ofNullable(file);
    }

    /**
     * Reads and resolves the configuration as it is now: the file's current text and the current
     * system properties.
     *
     * @throws IllegalArgumentException when the file does not exist
     * @throws ConfigException when it does not parse or resolve
     */
    public Config read() {
        // Typesafe Config caches system properties and the default lookup; a reload must see today's.
        ConfigFactory.invalidateCaches();
        // Explicit: the JVM's signal-handler threads have no context class loader to find reference.conf with.
        ClassLoader loader = ConfigSource.class.getClassLoader();
        if (file == null) {
            return ConfigFactory.load(loader);
        }
        if (!file.isFile()) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        return ConfigFactory.systemProperties().withFallback(ConfigFactory.parseFile(file))
                .withFallback(ConfigFactory.defaultReference(loader)).resolve();
    }

    @Override
    public String toString() {
        return file == null ? "the default configuration lookup" : file.getPath();
    }
}

package dev.sipedge.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import dev.sipedge.config.ConfigCheck.Accepted;
import dev.sipedge.config.ConfigCheck.Rejected;
import dev.sipedge.config.ConfigShape.Block;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteRules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gate every configuration passes before sipedge starts (and before a reload): first the
 * shape (every key under {@code sipedge} known, every value of the right kind), then the values
 * as the settings records read them, then what only the whole can tell (profile names a route
 * uses, next-hop URIs, ping intervals of the kinds of ping some route uses). The first problem is
 * returned as a {@link ConfigError}; nothing is bound or started.
 */
public final class ConfigChecker {
    private final Block known;

    ConfigChecker(Block known) {
        this.known = known;
    }

    /** A checker that knows the keys of every module's reference.conf on the class path. */
    public static ConfigChecker forReference() {
        // Not defaultReference(): that one has the system properties merged in, typos included.
        // Without the environment, a null default stays null (SIPEDGE_NODE_ID set or not).
        return new ConfigChecker(KnownKeys.sipedge(ConfigFactory.defaultReferenceUnresolved()
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false))));
    }

    /**
     * Loads with {@code loader}, then checks; a file that does not parse or a substitution that
     * does not resolve is an error too.
     */
    public ConfigCheck loadAndCheck(Supplier<Config> loader) {
        Config root;
        try {
            root = loader.get();
        } catch (ConfigException e) {
            return new Rejected(SettingsErrors.of(e));
        }
        return check(root);
    }

    /** Checks a resolved configuration that has reference.conf as its fallback. */
    public ConfigCheck check(Config root) {
        if (!root.hasPathOrNull("sipedge")) {
            return new Rejected(new ConfigError("sipedge", "configuration",
                    "missing; reference.conf is not on the class path"));
        }
        Optional<ConfigError> misspeltRoot = misspeltRoot(root);
        if (misspeltRoot.isPresent()) {
            return new Rejected(misspeltRoot.get());
        }
        Optional<ConfigError> shape = ShapeCheck.check("sipedge", root.root().get("sipedge"), known);
        if (shape.isPresent()) {
            return new Rejected(shape.get());
        }
        try {
            ProxySettings settings = ProxySettings.from(root);
            RouteRules.nextHopUris(settings.routes());
            DialogModule dialogs = new DialogModule(settings.dialog(), new SimpleMeterRegistry());
            for (RouteRule rule : settings.routes()) {
                dialogs.checkOptions(rule.dialog(), "sipedge.routes[" + rule.index() + "].dialog");
            }
            return new Accepted(root, settings);
        } catch (IllegalArgumentException e) {
            return new Rejected(SettingsErrors.of(e, root.root()));
        } catch (ConfigException e) {
            return new Rejected(SettingsErrors.of(e));
        }
    }

    /**
     * A block in a file whose name is a typo of {@code sipedge} ({@code sipedg { ... }}) would be
     * ignored whole. Other root keys (other libraries' settings, system properties) are not ours.
     */
    private static Optional<ConfigError> misspeltRoot(Config root) {
        for (Map.Entry<String, ConfigValue> e : root.root().entrySet()) {
            if (!e.getKey().equals("sipedge") && e.getValue().origin().filename() != null
                    && Suggestions.closest(e.getKey(), List.of("sipedge")).isPresent()) {
                return Optional.of(new ConfigError(e.getKey(), Origins.describe(e.getValue().origin(), e.getKey()),
                        "unknown key; did you mean sipedge?"));
            }
        }
        return Optional.empty();
    }
}

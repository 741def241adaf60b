package dev.sipedge.lifecycle;

import com.typesafe.config.Config;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.management.ReloadOutcome;
import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.proxy.routing.Routes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file ({@code SIGHUP}, {@code POST /reload}) and applies what may
 * change while calls run.
 *
 * <table>
 * <caption>What a reload does with each key under {@code sipedge}</caption>
 * <tr><th>key</th><th>on reload</th></tr>
 * <tr><td>{@code routes} (matches, next hops, dialog options, profile caps and values)</td>
 *     <td>a new {@link RouteTable} for new initial requests, swapped atomically</td></tr>
 * <tr><td>{@code shutdown.grace}</td><td>used by the next graceful stop</td></tr>
 * <tr><td>every other key (listen, advertised-address, workers, timer-tick, transport, dns,
 *     warmup, metrics, management, transaction, dialog with its profile declarations, and any
 *     key added later)</td><td>reported in {@code needRestart}, not applied</td></tr>
 * </table>
 *
 * The new file goes through the same checks as at start (the settings reader, then every route's
 * next hops and dialog options against the running dialog module); if any fails the reload is
 * {@link ReloadOutcome.Refused refused} and nothing changes. Restart-needing keys are compared with
 * the configuration the process started with, so a reload keeps reporting them until the restart;
 * reloadable keys with the last applied one. Blocking (file I/O): never on an event loop or shard.
 */
public final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);
    private static final String ROUTES = "sipedge.routes";
    private static final String GRACE = "sipedge.shutdown.grace";
    private static final List<String> RELOADABLE = List.of(ROUTES, GRACE);

    private final ConfigSource source;
    private final Function<Config, ProxySettings> reader;
    private final DialogModule dialogs;
    private final Routes routes;
    private final Config started;
    /** Guarded by this: the configuration whose reloadable keys are in force. */
    private Config applied;
    private volatile Duration shutdownGrace;

    /**
     * @param reader  the start's settings reader and checks ({@code ProxySettings::from})
     * @param started the configuration the process started with
     * @param settings what {@code reader} made of it
     */
    public Reloader(ConfigSource source, Function<Config, ProxySettings> reader, DialogModule dialogs, Routes routes,
                    Config started, ProxySettings settings) {
        this.source = Objects.requireNonNull(source, "source");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.started = Objects.requireNonNull(started, "started");
        this.applied = started;
        this.shutdownGrace = settings.shutdownGrace();
    }

    /** Reads, checks and applies the file; logs and returns the outcome. Never throws. */
    public synchronized ReloadOutcome reload() {
        Config next;
        RouteTable table;
        ProxySettings settings;
        try {
            next = source.read();
            settings = reader.apply(next);
            table = RouteTable.build(settings.routes(), dialogs);
        } catch (RuntimeException e) {
            // Whatever the file holds, a reload must not stop the proxy: refuse and keep running.
            String error = oneLine(e);
            log.warn("reload of {} refused, the running configuration stays: {}", source, error);
            return new ReloadOutcome.Refused(error);
        }
        List<String> changed = new ArrayList<>();
        for (String key : ConfigDiff.between(applied, next)) {
            if (reloadable(key)) {
                changed.add(key);
            }
        }
        List<String> needRestart = new ArrayList<>();
        for (String key : ConfigDiff.between(started, next)) {
            if (!reloadable(key)) {
                needRestart.add(key);
            }
        }
        if (changed.stream().anyMatch(key -> key.startsWith(ROUTES))) {
            routes.replace(table);
        }
        shutdownGrace = settings.shutdownGrace();
        applied = next;
        ReloadOutcome.Applied outcome = new ReloadOutcome.Applied(changed, needRestart);
        if (needRestart.isEmpty()) {
            log.info("reload of {} applied: changed {}", source, changed);
        } else {
            log.warn("reload of {} applied: changed {}; not applied until a restart: {}", source, changed, needRestart);
        }
        return outcome;
    }

    /** How long the next graceful stop may drain: the start's value, or the last reload's. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    private static boolean reloadable(String key) {
        for (String prefix : RELOADABLE) {
            if (key.equals(prefix) || key.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The error as one log line: Typesafe Config's message names file and line already. */
    static String oneLine(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}

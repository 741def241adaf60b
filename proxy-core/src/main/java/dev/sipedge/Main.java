package dev.sipedge;

import ch.qos.logback.classic.LoggerContext;
import com.typesafe.config.Config;
import dev.sipedge.config.ConfigCheck;
import dev.sipedge.config.ConfigChecker;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.lifecycle.ConfigSource;
import dev.sipedge.lifecycle.Lifecycle;
import dev.sipedge.lifecycle.ProcessSignals;
import java.io.File;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sipedge.jar [--config FILE] [--check-config]}: runs the proxy in the foreground
 * until SIGTERM or SIGINT, which drain the calls and exit 0; SIGHUP reloads the file. Without {@code --config}, {@code -Dconfig.file} is honoured, then
 * {@code conf/sipedge.conf} if it exists, then the built-in defaults. System properties such as
 * {@code -Dsipedge.workers=4} override the file. A bad configuration (or bad arguments) ends the
 * process with one line on stderr and exit status 2; {@code --check-config} only checks it
 * (exit 0 when good), binding nothing.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final int BAD_CONFIG = 2;

    private Main() {
    }

    /** The command line: the config file (null: the default search) and whether to check only. */
    record Arguments(File config, boolean checkOnly) {
        static Arguments parse(String[] args) {
            File file = null;
            boolean checkOnly = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--config") && i + 1 < args.length) {
                    file = new File(args[++i]);
                } else if (args[i].startsWith("--config=")) {
                    file = new File(args[i].substring("--config=".length()));
                } else if (args[i].equals("--check-config")) {
                    checkOnly = true;
                } else {
                    throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (file == null && System.getProperty("config.file") == null && new File("conf/sipedge.conf").isFile()) {
                file = new File("conf/sipedge.conf");
            }
            if (file != null && !file.isFile()) {
                throw new IllegalArgumentException("config file not found: " + file);
            }
            return new Arguments(file, checkOnly);
        }

        /** What the configuration came from, for the "configuration OK" line. */
        String source() {
            if (config != null) {
                return config.getPath();
            }
            String property = System.getProperty("config.file");
            return property != null ? property : "built-in defaults";
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sipedge: " + e.getMessage() + "; usage: sipedge [--config FILE] [--check-config]");
            System.exit(BAD_CONFIG);
            return;
        }
        ConfigSource source = arguments.config() == null ? ConfigSource.defaultLookup() : ConfigSource.file(arguments.config());
        // Made once, here: the JVM's signal threads (SIGHUP reloads) have no context class loader to find reference.conf.
        ConfigChecker checker = ConfigChecker.forReference();
        ConfigCheck check = checker.loadAndCheck(source::read);
        if (check instanceof ConfigCheck.Rejected rejected) {
            System.err.println(rejected.error().line());
            System.exit(BAD_CONFIG);
            return;
        }
        if (arguments.checkOnly()) {
            System.out.println("configuration OK: " + arguments.source());
            System.exit(0);
            return;
        }
        run(source, checker, (ConfigCheck.Accepted) check);
    }

    private static void run(ConfigSource source, ConfigChecker checker, ConfigCheck.Accepted started)
            throws InterruptedException {
        AtomicReference<Lifecycle> lifecycle = new AtomicReference<>();
        SipEdge edge;
        try {
            edge = SipEdge.start(started.settings(), proxy -> {
                // A reload runs the same checks as the start; a rejected file is refused with the same line.
                lifecycle.set(Lifecycle.of(proxy, source, config -> checkedSettings(checker, config), started.config(),
                        started.settings()));
                return lifecycle.get();
            });
        } catch (StartRefused e) {
            System.err.println("sipedge: " + e.getMessage());     // one line, as a configuration error
            System.exit(BAD_CONFIG);
            return;
        } catch (RuntimeException e) {
            log.error("sipedge failed to start: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        lifecycle.get().beforeClose("dialog persistence flush", edge::flushDialogs);
        ProcessSignals.install(lifecycle.get());
        // Only when the JVM stops without our signal handlers (another signal, System.exit): no drain then.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            edge.close();
            stopLogging();
        }, "sipedge-shutdown"));
        lifecycle.get().awaitStopRequest();
        try {
            lifecycle.get().stop();
        } catch (RuntimeException e) {
            log.error("sipedge did not stop cleanly: {}", e.toString(), e);
            stopLogging();
            System.exit(1);
        }
        stopLogging();
        System.exit(0);
    }

    /**
     * Stops Logback, which writes what its batching appenders still hold: a graceful stop ends
     * the calls it drains, each with an end-of-call record, just before the process exits.
     */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static ProxySettings checkedSettings(ConfigChecker checker, Config config) {
        ConfigCheck check = checker.check(config);
        if (check instanceof ConfigCheck.Rejected rejected) {
            throw new IllegalArgumentException(rejected.error().line());
        }
        return ((ConfigCheck.Accepted) check).settings();
    }
}

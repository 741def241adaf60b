package dev.sipedge;

import com.typesafe.config.Config;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.lifecycle.ConfigSource;
import dev.sipedge.lifecycle.Lifecycle;
import dev.sipedge.lifecycle.ProcessSignals;
import java.io.File;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sipedge.jar [--config FILE]}: runs the proxy in the foreground until SIGTERM
 * or SIGINT, which drain the calls and exit 0; SIGHUP reloads the configuration file. Without
 * {@code --config}, {@code -Dconfig.file} is honoured, then {@code conf/sipedge.conf} if it
 * exists, then the built-in defaults. System properties such as {@code -Dsipedge.workers=4}
 * override the file.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConfigSource source;
        Config config;
        try {
            source = source(args);
            config = source.read();
        } catch (IllegalArgumentException e) {
            System.err.println("sipedge: " + e.getMessage());
            System.err.println("usage: sipedge [--config FILE]");
            System.exit(2);
            return;
        }
        SipEdge edge;
        ProxySettings settings;
        try {
            settings = ProxySettings.from(config);
            edge = SipEdge.start(settings);
        } catch (RuntimeException e) {
            log.error("sipedge failed to start: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        Lifecycle lifecycle = Lifecycle.of(edge, source, ProxySettings::from, config, settings);
        ProcessSignals.install(lifecycle);
        // Only when the JVM stops without our signal handlers (another signal, System.exit): no drain then.
        Runtime.getRuntime().addShutdownHook(new Thread(edge::close, "sipedge-shutdown"));
        lifecycle.awaitStopRequest();
        try {
            lifecycle.stop();
        } catch (RuntimeException e) {
            log.error("sipedge did not stop cleanly: {}", e.toString(), e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** Where the configuration comes from: {@code --config FILE}, else as the class comment says. */
    static ConfigSource source(String[] args) {
        File file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = new File(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = new File(args[i].substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (file == null && System.getProperty("config.file") == null && new File("conf/sipedge.conf").isFile()) {
            file = new File("conf/sipedge.conf");
        }
        if (file == null) {
            return ConfigSource.defaultLookup();
        }
        if (!file.isFile()) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        return ConfigSource.file(file);
    }
}

package dev.sipedge;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sipedge.config.ConfigCheck;
import dev.sipedge.config.ConfigChecker;
import dev.sipedge.config.ProxySettings;
import java.io.File;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sipedge.jar [--config FILE] [--check-config]}: runs the proxy in the foreground
 * until SIGTERM or SIGINT. Without {@code --config}, {@code -Dconfig.file} is honoured, then
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
        ConfigCheck check = ConfigChecker.forReference().loadAndCheck(() -> load(arguments.config()));
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
        run(((ConfigCheck.Accepted) check).settings());
    }

    private static void run(ProxySettings settings) throws InterruptedException {
        SipEdge edge;
        try {
            edge = SipEdge.start(settings);
        } catch (RuntimeException e) {
            log.error("sipedge failed to start: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            edge.close();
            stopped.countDown();
        }, "sipedge-shutdown"));
        stopped.await();
    }

    /** {@code file} (null: ConfigFactory's own search) under system properties, over every reference.conf. */
    static Config load(File file) {
        if (file == null) {
            return ConfigFactory.load();
        }
        ConfigFactory.invalidateCaches();
        // as ConfigFactory.load does: -Dsipedge.x=y overrides the file, the file overrides reference.conf
        return ConfigFactory.systemProperties().withFallback(ConfigFactory.parseFile(file))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }
}

package dev.sipedge;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sipedge.config.ProxySettings;
import java.io.File;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sipedge.jar [--config FILE]}: runs the proxy in the foreground until SIGTERM
 * or SIGINT. Without {@code --config}, {@code -Dconfig.file} is honoured, then
 * {@code conf/sipedge.conf} if it exists, then the built-in defaults. System properties such as
 * {@code -Dsipedge.workers=4} override the file.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Config config;
        try {
            config = load(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sipedge: " + e.getMessage());
            System.err.println("usage: sipedge [--config FILE]");
            System.exit(2);
            return;
        }
        SipEdge edge;
        try {
            edge = SipEdge.start(ProxySettings.from(config));
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

    static Config load(String[] args) {
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
            return ConfigFactory.load();
        }
        if (!file.isFile()) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        ConfigFactory.invalidateCaches();
        // as ConfigFactory.load does: -Dsipedge.x=y overrides the file, the file overrides reference.conf
        return ConfigFactory.systemProperties().withFallback(ConfigFactory.parseFile(file))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }
}

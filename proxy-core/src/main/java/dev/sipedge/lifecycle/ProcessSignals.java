package dev.sipedge.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Connects the operator's signals to the {@link Lifecycle}: {@code SIGHUP} reloads the
 * configuration, {@code SIGTERM} and {@code SIGINT} ask for a graceful stop (a second one cuts
 * the drain short). With its own {@code SIGTERM} handler the process exits 0 after the drain; the
 * JVM's default handler would exit 143 at once. The JVM runs each handler on a thread of its own,
 * never an event loop or shard, so reading the file there is fine.
 *
 * <p>A signal the process inherited as ignored stays ignored: the JVM does not install a handler
 * over it ({@code nohup} ignores {@code SIGHUP}, a shell's background job {@code SIGINT}). That is
 * said once at start, with what to use instead, rather than found out at the first reload.
 */
public final class ProcessSignals {
    private static final Logger log = LoggerFactory.getLogger(ProcessSignals.class);

    private ProcessSignals() {
    }

    public static void install(Lifecycle lifecycle) {
        handle("HUP", signal -> {
            log.info("SIGHUP: reloading the configuration");
            lifecycle.reload();
        }, "reload with sipedgectl reload or POST /reload on the management API");
        handle("TERM", signal -> lifecycle.requestStop("SIGTERM"), "stop gracefully with SIGINT");
        handle("INT", signal -> lifecycle.requestStop("SIGINT"), "stop gracefully with SIGTERM");
    }

    private static void handle(String name, SignalHandler handler, String instead) {
        try {
            if (Signal.handle(new Signal(name), handler) == SignalHandler.SIG_IGN) {
                log.warn("SIG{} is ignored by this process (inherited so, e.g. from nohup or a shell's background"
                        + " job) and does nothing; {}", name, instead);
            }
        } catch (IllegalArgumentException e) {
            // e.g. the JVM runs with -Xrs, or the platform has no such signal: keep the default
            log.warn("cannot handle SIG{}: {}; it keeps the JVM's default action", name, e.getMessage());
        }
    }
}

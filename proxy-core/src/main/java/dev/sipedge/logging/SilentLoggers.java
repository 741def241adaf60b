package dev.sipedge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * Loggers that log nothing whatever the configuration says, of the same class as every other
 * logger of the process.
 *
 * <p>Why not SLF4J's {@link NOPLogger}: the start-up warm-up runs the real message path with its
 * SIP trace silenced, and the JIT compiles what it profiles. With a NOP logger there, the trace's
 * {@code isTraceEnabled()} check was compiled for that class alone, and the first real datagram,
 * whose trace has a Logback logger, deoptimised every method that had inlined the check (the
 * datagram decoder with the parse under it, the pipeline's write path) just as the load began.
 * A Logback logger switched off answers the same check through the same code.
 */
public final class SilentLoggers {
    private SilentLoggers() {
    }

    /**
     * A logger named {@code name} with its level set to OFF and no appenders inherited; SLF4J's
     * NOP logger where the backend is not Logback.
     */
    public static Logger named(String name) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            var logger = context.getLogger(name);
            logger.setLevel(Level.OFF);
            logger.setAdditive(false);
            return logger;
        }
        return NOPLogger.NOP_LOGGER;
    }
}

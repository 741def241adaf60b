package dev.sipedge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * A logger that is on at INFO and logs through the same appender class and encoder as the
 * end-of-call records, into {@link OutputStream#nullOutputStream()}; {@link #close()} stops its
 * appender (and the appender's writer thread).
 *
 * <p>Why not a silenced logger: the start-up warm-up registers call records on it, so that the JIT
 * compiles the record, Logback's event and the appender's queue with the profile real calls give
 * them. With no listener there, the first real calls deoptimised the dialog module's event
 * dispatch and Logback's appender loop just as the load began (docs/performance.md).
 */
public final class DiscardingLogger implements AutoCloseable {
    /** The pattern of the records' appender in the shipped logback.xml. */
    static final String RECORD_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg %kvp%n";

    private final Logger logger;
    private final Runnable stop;

    private DiscardingLogger(Logger logger, Runnable stop) {
        this.logger = logger;
        this.stop = stop;
    }

    /** A logger named {@code name}, on at INFO, not additive; SLF4J's NOP logger where the backend is not Logback. */
    public static DiscardingLogger named(String name) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new DiscardingLogger(NOPLogger.NOP_LOGGER, () -> { });
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(RECORD_PATTERN);
        encoder.start();
        BatchingConsoleAppender appender = new BatchingConsoleAppender(OutputStream.nullOutputStream());
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        var logger = context.getLogger(name);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        return new DiscardingLogger(logger, () -> {
            logger.setLevel(Level.OFF);
            logger.detachAppender(appender);
            appender.stop();
        });
    }

    public Logger logger() {
        return logger;
    }

    /** Detaches and stops the appender; the logger logs nothing from here on. */
    @Override
    public void close() {
        stop.run();
    }
}

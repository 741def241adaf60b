package dev.sipedge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A discarding logger is on (so what logs through it runs its whole path, appender included),
 * nothing it logs reaches another appender, and closing it stops its appender's writer thread.
 */
class DiscardingLoggerTest {
    private static final String PARENT = "sipedge.test.discarding";

    @Test
    void itIsOnAtInfoAndItsEventsReachNoOtherAppender() {
        Logger parent = (Logger) LoggerFactory.getLogger(PARENT);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        parent.addAppender(seen);
        parent.setLevel(Level.TRACE);
        try (DiscardingLogger discarding = DiscardingLogger.named(PARENT + ".records")) {
            assertTrue(discarding.logger().isInfoEnabled(), "records are built and appended, as real ones are");
            assertFalse(discarding.logger().isDebugEnabled());
            discarding.logger().atInfo().addKeyValue("call-id", "x").log("call ended");
            LoggerFactory.getLogger(PARENT + ".sibling").info("kept");
        } finally {
            parent.detachAppender(seen);
            parent.setLevel(null);
        }

        assertEquals(List.of("kept"), seen.list.stream().map(ILoggingEvent::getMessage).toList(),
                "the parent's appender saw the sibling's event only");
    }

    @Test
    void closingStopsTheAppenderAndItsWriterThread() {
        String name = PARENT + ".closed";
        DiscardingLogger discarding = DiscardingLogger.named(name);
        assertTrue(writerAlive(name), "the appender writes on its own thread, as the records' appender does");

        discarding.close();

        assertFalse(discarding.logger().isInfoEnabled());
        assertFalse(writerAlive(name), "nothing of it outlives the warm-up");
    }

    private static boolean writerAlive(String appenderName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("log-writer-" + appenderName));
    }
}

package dev.sipedge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A silent logger is of the class every other logger has (so code compiled while it was in use
 * stays valid for the real ones), and it stays silent under a parent that logs everything.
 */
class SilentLoggersTest {
    private static final String PARENT = "sipedge.test.silent";

    private final Logger parent = (Logger) LoggerFactory.getLogger(PARENT);
    private final ListAppender<ILoggingEvent> appended = new ListAppender<>();

    @AfterEach
    void restoreParent() {
        parent.detachAppender(appended);
        parent.setLevel(null);
    }

    @Test
    void aSilentLoggerIsOfTheClassOfTheOtherLoggers() {
        var silent = SilentLoggers.named(PARENT + ".off");

        assertEquals(LoggerFactory.getLogger(PARENT).getClass(), silent.getClass());
    }

    @Test
    void itLogsNothingWhileItsParentLogsEverything() {
        parent.setLevel(Level.TRACE);
        appended.start();
        parent.addAppender(appended);
        var silent = SilentLoggers.named(PARENT + ".child");

        silent.error("dropped");
        silent.trace("dropped");
        LoggerFactory.getLogger(PARENT + ".sibling").trace("kept");

        assertFalse(silent.isTraceEnabled());
        assertFalse(silent.isErrorEnabled());
        assertTrue(LoggerFactory.getLogger(PARENT + ".sibling").isTraceEnabled());
        assertEquals(1, appended.list.size());
        assertEquals("kept", appended.list.get(0).getMessage());
    }
}

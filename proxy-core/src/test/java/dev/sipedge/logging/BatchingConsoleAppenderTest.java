package dev.sipedge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console appender of the per-call loggers: what queues up while a write is under way leaves
 * in one write, a lone event leaves at once, a full queue drops (and counts) instead of blocking
 * the caller, and stopping writes what is still queued. The console is a stream the test holds
 * (it can hold the first write back), so no test depends on timing.
 */
class BatchingConsoleAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final GatedStream console = new GatedStream();
    private final BatchingConsoleAppender appender = new BatchingConsoleAppender(console);

    BatchingConsoleAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        appender.setContext(context);
        appender.setName("CDR");
        appender.setEncoder(new MessageLines());
    }

    @AfterEach
    void stop() {
        console.open();
        appender.stop();
    }

    @Test
    void eventsThatQueueUpDuringAWriteLeaveTogetherInTheNextOne() throws Exception {
        appender.start();
        appender.doAppend(event("call 0"));
        assertTrue(console.firstWriteEntered.await(5, TimeUnit.SECONDS), "the worker never wrote");
        for (int i = 1; i <= 10; i++) {
            appender.doAppend(event("call " + i));
        }
        console.open();
        appender.stop();
        assertEquals(lines(0, 10), console.text());
        assertEquals(2, console.writes, "one write for the first event, one for the ten queued behind it");
    }

    @Test
    void aLoneEventIsWrittenWithoutWaitingForAnother() throws Exception {
        console.open();
        appender.start();
        appender.doAppend(event("call 0"));
        assertTrue(console.firstWriteEntered.await(5, TimeUnit.SECONDS), "a lone event was held back");
        assertTrue(console.flushed.await(5, TimeUnit.SECONDS), "a lone event was not flushed");
        assertEquals(lines(0, 0), console.text());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() throws Exception {
        appender.setQueueSize(2);
        appender.start();
        appender.doAppend(event("call 0"));
        assertTrue(console.firstWriteEntered.await(5, TimeUnit.SECONDS), "the worker never wrote");
        for (int i = 1; i <= 4; i++) {
            appender.doAppend(event("call " + i));   // two fit in the queue, two do not
        }
        assertEquals(2, appender.droppedEvents());
        assertTrue(context.getStatusManager().getCopyOfStatusList().stream()
                .anyMatch(s -> s.getLevel() == Status.WARN && s.getMessage().contains("dropped")),
                "a drop must leave a status warning");
        console.open();
        appender.stop();
        assertEquals(lines(0, 2), console.text());
    }

    @Test
    void eventsAfterStopAreNotWritten() {
        console.open();
        appender.start();
        appender.stop();
        appender.doAppend(event("late"));
        assertEquals("", console.text());
        assertFalse(appender.isStarted());
    }

    @Test
    void aBatchOverTheByteLimitLeavesInSeveralWrites() throws Exception {
        appender.start();
        appender.doAppend(event("call 0"));
        assertTrue(console.firstWriteEntered.await(5, TimeUnit.SECONDS), "the worker never wrote");
        String big = "x".repeat(BatchingConsoleAppender.MAX_BATCH_BYTES / 2);
        for (int i = 0; i < 4; i++) {
            appender.doAppend(event(big));
        }
        console.open();
        appender.stop();
        assertEquals(3, console.writes, "the first event, then two writes of two large events each");
        assertEquals(1 + 4, console.text().lines().count());
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "call " + i + "\n").collect(Collectors.joining());
    }

    private LoggingEvent event(String message) {
        Logger logger = context.getLogger("sipedge.cdr");
        return new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, null, null);
    }

    /** The message and a line end: enough to see order and completeness. */
    private static final class MessageLines extends EncoderBase<ILoggingEvent> {
        @Override
        public byte[] headerBytes() {
            return new byte[0];
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return (event.getFormattedMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] footerBytes() {
            return new byte[0];
        }
    }

    /** A console whose writes wait until the test opens it; it counts writes and signals the first. */
    private static final class GatedStream extends OutputStream {
        final CountDownLatch firstWriteEntered = new CountDownLatch(1);
        final CountDownLatch flushed = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile int writes;

        void open() {
            gate.countDown();
        }

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("the appender writes whole batches");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            firstWriteEntered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (written) {
                written.write(b, off, len);
                writes++;
            }
        }

        @Override
        public void flush() {
            flushed.countDown();
        }

        String text() {
            synchronized (written) {
                return written.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

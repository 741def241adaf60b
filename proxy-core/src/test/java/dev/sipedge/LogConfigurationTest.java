package dev.sipedge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sipedge.logging.BatchingConsoleAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * The shipped logging configurations, loaded as Logback loads them: the text one shows the
 * end-of-call records' key-value pairs, the JSON one writes each event as one parseable JSON line
 * with the pairs as fields; in both the SIP trace is off by default and the trace and the records
 * reach the console only through the non-blocking batching appender.
 */
class LogConfigurationTest {

    private final LoggerContext context = newContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void theJarCarriesTheSameTextConfigurationAsConf() throws IOException {
        assertArrayEquals(Files.readAllBytes(conf("logback.xml")),
                Files.readAllBytes(Path.of("src/main/resources/logback.xml")),
                "proxy-core/src/main/resources/logback.xml must stay a copy of conf/logback.xml");
    }

    @Test
    void textFormatShowsTheRecordsKeyValuePairs() throws Exception {
        load(conf("logback.xml"));
        String line = encode(outputOf("sipedge.cdr", "CDR"), cdrEvent());
        assertTrue(line.contains("call ended"), line);
        assertTrue(line.contains("call-id=\"a84b4c76e66710\""), line);
        assertTrue(line.contains("duration=\"12.5\""), line);
        assertTrue(line.endsWith(System.lineSeparator()), line);
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerEventWithThePairsAsFields() throws Exception {
        load(conf("logback-json.xml"));
        String line = encode(outputOf("sipedge.cdr", "CDR"), cdrEvent());
        assertEquals(1, line.strip().lines().count(), "one line per event: " + line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("call ended", json.path("message").asText(), line);
        assertEquals("INFO", json.path("level").asText(), line);
        assertEquals("sipedge.cdr", json.path("logger_name").asText(), line);
        assertEquals("a84b4c76e66710", json.path("call-id").asText(), line);
        assertEquals(12.5, json.path("duration").asDouble(), line);
        assertTrue(json.has("@timestamp"), line);
    }

    @Test
    void jsonFormatCarriesTheSipTraceAddressesAsFields() throws Exception {
        load(conf("logback-json.xml"));
        LoggingEvent event = event("sipedge.sip.trace", Level.TRACE,
                "in udp ...\nINVITE sip:bob@example.com SIP/2.0\r\n");
        event.setKeyValuePairs(List.of(new KeyValuePair("direction", "in"), new KeyValuePair("transport", "udp"),
                new KeyValuePair("local", "127.0.0.1:5060"), new KeyValuePair("remote", "192.0.2.7:5062")));
        JsonNode json = new ObjectMapper().readTree(encode(outputOf("sipedge.sip.trace", "SIP_TRACE"), event));
        assertEquals("192.0.2.7:5062", json.path("remote").asText());
        assertTrue(json.path("message").asText().contains("INVITE sip:bob@example.com"), json.toString());
    }

    @Test
    void bothFormatsKeepTheTraceOffAndEveryLoggingThreadUnblocked() throws Exception {
        for (String file : List.of("logback.xml", "logback-json.xml")) {
            LoggerContext ctx = newContext();
            try {
                load(ctx, conf(file));
                Logger trace = ctx.getLogger("sipedge.sip.trace");
                if (System.getenv("SIPEDGE_SIP_TRACE") == null) {
                    assertFalse(trace.isTraceEnabled(), file + ": the SIP trace must be off by default");
                }
                assertFalse(trace.isAdditive(), file + ": the trace must not also go to the root's appenders");
                assertFalse(ctx.getLogger("sipedge.cdr").isAdditive(), file);
                for (String[] pair : new String[][] {{"sipedge.sip.trace", "SIP_TRACE"}, {"sipedge.cdr", "CDR"}}) {
                    Appender<ILoggingEvent> appender = ctx.getLogger(pair[0]).getAppender(pair[1]);
                    BatchingConsoleAppender batching =
                            assertInstanceOf(BatchingConsoleAppender.class, appender, file + ": " + pair[0]);
                    assertTrue(batching.isStarted(), file + ": " + pair[1] + " did not start");
                }
            } finally {
                ctx.stop();
            }
        }
    }

    /** A context of our own, as Logback's initializer would make it (with an MDC adapter). */
    private static LoggerContext newContext() {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        return ctx;
    }

    private static Path conf(String name) {
        // surefire runs in proxy-core/; the shipped files are in the repository's conf/
        return Path.of("").toAbsolutePath().getParent().resolve("conf").resolve(name);
    }

    private void load(Path file) throws JoranException {
        load(context, file);
    }

    private static void load(LoggerContext ctx, Path file) throws JoranException {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(file.toFile());
        for (Status status : ctx.getStatusManager().getCopyOfStatusList()) {
            assertTrue(status.getLevel() < Status.WARN, file + ": " + status);
        }
    }

    /** The encoder of {@code logger}'s batching console appender {@code name}. */
    private Encoder<ILoggingEvent> outputOf(String logger, String name) {
        BatchingConsoleAppender appender = assertInstanceOf(BatchingConsoleAppender.class,
                context.getLogger(logger).getAppender(name), logger + " should log through " + name);
        assertNotNull(appender.getEncoder(), name + " has no encoder");
        return appender.getEncoder();
    }

    private static String encode(Encoder<ILoggingEvent> encoder, LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    private LoggingEvent cdrEvent() {
        LoggingEvent event = event("sipedge.cdr", Level.INFO, "call ended");
        event.setKeyValuePairs(List.of(new KeyValuePair("call-id", "a84b4c76e66710"),
                new KeyValuePair("duration", 12.5)));
        return event;
    }

    private LoggingEvent event(String logger, Level level, String message) {
        return new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, null, null);
    }
}

package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The end-of-call records of {@link CallRecords}: one per dialog, with the right fields. */
class CallRecordsTest {
    private static final Duration LIFETIME = Duration.ofSeconds(10);

    private final Logger logger = (Logger) LoggerFactory.getLogger(CallRecords.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    /** Added to the wall clock when the record is written: the call "lasted" this long. */
    private final AtomicLong later = new AtomicLong();
    private final AtomicInteger clockReads = new AtomicInteger();
    private final RecordingSender sender = new RecordingSender();
    private DialogHarness h;
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
        h = new DialogHarness(DialogHarness.settings().withProfiles(List.of("caller"), List.of("inbound")));
        h.tracker.useSender(sender);
        h.module.addListener(new CallRecords(logger, () -> {
            clockReads.incrementAndGet();
            return System.currentTimeMillis() + later.get();
        }));
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
    }

    private static DialogOptions options() {
        return DialogOptions.TRACK.withTimeout(LIFETIME).withProfiles(List.of(
                new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 0, 486),
                new ProfileRule("inbound", null, 0, 486)));
    }

    private Call call(String callId, DialogOptions options) {
        return h.call(Msgs.invite(callId).from("sip:alice@a.example.com", "a-" + callId)
                .to("sip:bob@b.example.com", null).build(), options);
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValuePair kv : event.getKeyValuePairs()) {
            out.put(kv.key, kv.value);
        }
        return out;
    }

    private Map<String, Object> onlyRecord() {
        assertEquals(1, appender.list.size(), "records: " + appender.list);
        ILoggingEvent event = appender.list.get(0);
        assertEquals(Level.INFO, event.getLevel());
        assertEquals("sipedge.cdr", event.getLoggerName());
        assertEquals("call ended", event.getFormattedMessage());
        return fields(event);
    }

    @Test
    void anAnsweredCallEndedByTheCallerHasItsTimesDurationCauseAndProfiles() {
        long before = System.currentTimeMillis();
        Call c = call("r1", options()).establish();
        later.set(90_000);
        c.callerBye();

        Map<String, Object> f = onlyRecord();
        assertEquals(List.of("call-id", "dialog-id", "from", "to", "source", "start", "answer", "end", "duration",
                "end-cause", "profiles"), List.copyOf(f.keySet()));
        assertEquals("r1", f.get("call-id"));
        assertEquals(c.dialog().id(), f.get("dialog-id"));
        assertEquals("sip:alice@a.example.com", f.get("from"));
        assertEquals("sip:bob@b.example.com", f.get("to"));
        assertEquals("127.0.0.1:5061", f.get("source"));
        Instant start = Instant.parse((String) f.get("start"));
        Instant answer = Instant.parse((String) f.get("answer"));
        Instant end = Instant.parse((String) f.get("end"));
        assertTrue(!start.isBefore(Instant.ofEpochMilli(before)) && !answer.isBefore(start), start + " " + answer);
        assertTrue(Duration.between(answer, end).compareTo(Duration.ofSeconds(90)) >= 0, answer + " " + end);
        assertEquals(Duration.between(answer, end).toMillis() / 1000.0, (double) f.get("duration"));
        assertEquals("caller_bye", f.get("end-cause"));
        assertEquals("caller=alice,inbound", f.get("profiles"));

        h.advance(Duration.ofMinutes(5));
        assertEquals(1, appender.list.size(), "nothing more when the dialog is freed");
    }

    @Test
    void aFailedCallHasItsStatusNoAnswerTimeAndNoDuration() {
        Call c = call("r2", options()).forward(UAS);
        c.respond(UAS, 180, "b1");
        c.respond(UAS, 486, "b1");

        Map<String, Object> f = onlyRecord();
        assertFalse(f.containsKey("answer"));
        assertEquals(0.0, f.get("duration"));
        assertEquals("failed", f.get("end-cause"));
        assertEquals(486, f.get("status"));
        assertEquals("caller=alice,inbound", f.get("profiles"));
        h.advance(Duration.ofMinutes(1));
        assertEquals(1, appender.list.size());
    }

    @Test
    void anExpiredCallIsRecordedOnceAsExpired() {
        call("r3", options()).establish();
        h.advance(LIFETIME);
        Map<String, Object> f = onlyRecord();
        assertEquals("expired", f.get("end-cause"));
        assertTrue(f.containsKey("answer"));
        assertFalse(f.containsKey("status"));
    }

    @Test
    void aCallEndedByTheModuleWithByesKeepsItsProfilesInTheRecord() {
        call("r4", options().withByeOnTimeout(true)).establish();
        h.advance(LIFETIME);
        assertEquals(2, sender.of("BYE").size());
        Map<String, Object> f = onlyRecord();
        assertEquals("expired", f.get("end-cause"));
        assertEquals("caller=alice,inbound", f.get("profiles"), "the profiles are left after the record");
        assertEquals(0, h.module.profiles().get("inbound").size());
        sender.of("BYE").forEach(b -> b.answer(200));
        assertEquals(1, appender.list.size(), "the BYEs' answers add nothing");
    }

    @Test
    void aCallNeverAckedIsRecordedAsNoAck() {
        Call c = call("r5", DialogOptions.TRACK).forward(UAS);
        c.respond(UAS, 200, "b1");
        h.advance(DialogSettings.DEFAULT_NOACK_TIMEOUT);
        Map<String, Object> f = onlyRecord();
        assertEquals("no_ack", f.get("end-cause"));
        assertEquals("", f.get("profiles"));
    }

    @Test
    void oneRecordPerDialog() {
        call("r6", options()).establish().callerBye();
        call("r7", options()).establish().calleeBye();
        Call failed = call("r8", options()).forward(UAS);
        failed.respond(UAS, 603, "b1");
        call("r9", options()).establish();
        h.advance(LIFETIME.multipliedBy(3));
        assertEquals(List.of("r6 caller_bye", "r7 callee_bye", "r8 failed", "r9 expired"),
                appender.list.stream().map(e -> fields(e).get("call-id") + " " + fields(e).get("end-cause")).toList());
    }

    @Test
    void withTheLoggerOffNothingIsBuilt() {
        logger.setLevel(Level.WARN);
        call("r10", options()).establish().callerBye();
        assertTrue(appender.list.isEmpty());
        assertEquals(0, clockReads.get(), "returned before reading the clock");
    }
}

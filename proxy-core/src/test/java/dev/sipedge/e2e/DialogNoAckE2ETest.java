package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sipedge.dialog.noack-timeout = 2s} and a route with {@code bye-on-timeout = true}, through
 * the real proxy with scripts/sipp/dialog-noack: the callee answers 200, the caller never ACKs. The
 * dialog lifetime is the default 12 h, so only the no-ACK timeout can end these calls: about 2 s
 * after the 200 the proxy counts them under {@code sipedge_dialogs_ended_total{cause="no_ack"}}
 * (neither expired nor failed) and sends each leg a BYE with a 408 Reason, which the SIPp scenarios
 * check; the UAs send no BYE of their own. The proxy log carries one end-of-call record per call.
 */
@Tag("e2e")
class DialogNoAckE2ETest {

    private static final Duration NO_ACK = Duration.ofSeconds(2);
    private static final String CONFIG = "sipedge.dialog.noack-timeout = " + NO_ACK.toSeconds() + "s\n"
            + DialogE2E.trackedRoute("track = true, bye-on-timeout = true");
    private static final String ENDED_NO_ACK = "sipedge_dialogs_ended_total{cause=\"no_ack\"}";
    private static final String BYES_RECEIVED = "sipedge_requests_received_total{method=\"BYE\"}";
    private static final Duration UAC_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration UAS_TIMEOUT = Duration.ofSeconds(30);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void anAnswerNeverAckedEndsAfterTheNoAckTimeoutWithByesToBothLegs() {
        int calls = 2;
        Path work = E2eEnvironment.newWorkDir("dialog-noack");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG)) {
            long start = System.nanoTime();
            try (SippPair pair = SippPair.start(work, "dialog-noack", "uac.xml", proxy.sipAddress(), uasPort,
                    new SippProcess.Options().calls(calls).rate(20).timeout(UAC_TIMEOUT).traceMessages(true),
                    UAS_TIMEOUT)) {
                // answered, not ACKed, not ended yet: the second call starts 50 ms after the first
                proxy.awaitMetrics(Map.of(ACTIVE, (double) calls, ENDED_NO_ACK, 0.0), NO_ACK.minusMillis(200));

                SipedgeProcess.Metrics after = proxy.awaitMetrics(Map.of(ENDED_NO_ACK, (double) calls, ACTIVE, 0.0,
                        EARLY, 0.0, EXPIRED, 0.0, FAILED, 0.0, PROCESSED, (double) calls), Duration.ofSeconds(10));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(took.compareTo(NO_ACK) >= 0, "ended after " + took.toMillis() + " ms, before the no-ACK timeout");

                SippPair.Ended ended = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(10), UAS_TIMEOUT.plusSeconds(5));
                ended.assertAllSucceeded(calls, () -> "--- proxy metrics:\n" + proxy.scrapeMetrics()
                        .lines("sipedge_dialog") + "\n--- proxy log (tail):\n" + proxy.logTail(30));
                assertEquals(0.0, orZero(after.value(BYES_RECEIVED)),
                        "a UA sent a BYE: the calls were not ended by the proxy\n" + after.lines("sipedge_"));
                assertEquals(calls, SipTraces.received(ended.uas(), "BYE").size(), "BYEs toward the callee");
                assertEquals(calls, SipTraces.received(ended.uac(), "BYE").size(), "BYEs toward the caller");
            }
            assertEquals(calls, callRecords(work), "end-of-call records\n" + proxy.logTail(30));
        }
    }

    /** Records of the sipedge.cdr logger in the proxy's log (text format). */
    private static long callRecords(Path work) {
        try (var lines = Files.lines(work.resolve("sipedge.log"))) {
            return lines.filter(l -> l.contains("sipedge.cdr - call ended")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A counter that never moved may be absent from the scrape. */
    private static double orZero(double value) {
        return Double.isNaN(value) ? 0.0 : value;
    }
}

package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In-dialog OPTIONS pings end to end (route {@code dialog { ping-callee | ping-caller = options }},
 * {@code sipedge.dialog.options-ping-interval = 2s}): SIPp plays caller and callee over UDP
 * through the real proxy (scripts/sipp/dialog-ping-options, dialog-ping-options-481 for the
 * callee; dialog-ping-caller with uac.xml or uac-481.xml for the caller).
 *
 * <ul>
 * <li>A leg that answers its pings 200 keeps the call up; the pings are in its dialog (its tag in
 *     To) and, toward the callee, use a CSeq below the INVITE's, so they never disturb its CSeq
 *     space. Only the configured leg is pinged.</li>
 * <li>A leg that answers 481 (it lost the dialog, RFC 3261 12.2.2) gets the call ended at once:
 *     the proxy sends BYE to both legs, both answer 200, and the dialog is gone from
 *     {@code /metrics}. Neither SIPp side sends a BYE itself.</li>
 * </ul>
 * The SIPp scenarios check the dialog tags and counts themselves (a failed check fails their
 * call); the tests add what is easier to read from the message traces.
 */
@Tag("e2e")
class DialogOptionsPingE2ETest {

    private static final String INTERVALS = "options-ping-interval = 2s, reinvite-ping-interval = 3s";
    private static final Duration CALL_BOUND = Duration.ofSeconds(20);
    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 40)
    void aCalleeAnsweringItsOptionsPingsKeepsTheCallUpUntilTheCallersBye() {
        Path work = E2eEnvironment.newWorkDir("dialog-ping-options");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.shortTimerRoute(INTERVALS, "track = true, ping-callee = options"));
                SippPair call = SippPair.start(work, "dialog-ping-options", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(5500), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));
            // two pings (2 s and 4 s after the ACK) were answered; the caller holds until 5.5 s
            call.awaitUasReceived("OPTIONS", 2, Duration.ofSeconds(8), proxy);
            DialogE2E.assertMetricsNow(proxy, Map.of(ACTIVE, 1.0, PROCESSED, 1.0, FAILED, 0.0),
                    "after two answered pings, while the caller holds");

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);

            List<SipMessageLog.Entry> pings = SipTraces.received(run.uas(), "OPTIONS");
            String calleeTag = toTag(sentFinal(run.uas(), "INVITE"));
            long inviteCseq = SipTraces.cseqNumber(SipTraces.received(run.uas(), "INVITE").get(0));
            assertTrue(pings.size() >= 2, "the callee got " + pings.size() + " OPTIONS pings\n" + run.describe());
            for (SipMessageLog.Entry ping : pings) {
                assertAll("OPTIONS ping " + ping.header("cseq"),
                        () -> assertEquals(calleeTag, toTag(ping), "To tag = the callee's"),
                        () -> assertTrue(SipTraces.cseq(ping).endsWith(" OPTIONS"), "CSeq method"),
                        () -> assertTrue(SipTraces.cseqNumber(ping) < inviteCseq,
                                "CSeq below the INVITE's " + inviteCseq));
            }
            assertEquals(List.of(), SipTraces.received(run.uac(), "OPTIONS"), "the caller is not pinged");

            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, FAILED, 0.0, EXPIRED, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    @Timeout(value = 40)
    void aCalleeAnsweringItsOptionsPing481GetsTheCallEndedWithByeToBothLegs() {
        Path work = E2eEnvironment.newWorkDir("dialog-ping-options-481");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.shortTimerRoute(INTERVALS, "track = true, ping-callee = options"));
                SippPair call = SippPair.start(work, "dialog-ping-options-481", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);

            assertEquals(1, SipTraces.received(run.uas(), "OPTIONS").size(), "pings to the callee\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uas(), "BYE").size(), "BYEs to the callee\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uac(), "BYE").size(), "BYEs to the caller\n" + run.describe());
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0), Duration.ofSeconds(5));
        }
    }

    @Test
    @Timeout(value = 40)
    void aCallerAnsweringItsOptionsPingsKeepsTheCallUpUntilItsOwnBye() {
        Path work = E2eEnvironment.newWorkDir("dialog-ping-caller-options");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.shortTimerRoute(INTERVALS, "track = true, ping-caller = options"));
                SippPair call = SippPair.start(work, "dialog-ping-caller", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));

            // the caller sends its BYE once it has answered two pings
            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);

            List<SipMessageLog.Entry> pings = SipTraces.received(run.uac(), "OPTIONS");
            String callerTag = fromTag(SipTraces.received(run.uas(), "INVITE").get(0));
            assertEquals(2, pings.size(), "OPTIONS pings the caller got\n" + run.describe());
            for (SipMessageLog.Entry ping : pings) {
                assertAll("OPTIONS ping " + ping.header("cseq"),
                        () -> assertEquals(callerTag, toTag(ping), "To tag = the caller's"),
                        () -> assertTrue(SipTraces.cseq(ping).endsWith(" OPTIONS"), "CSeq method"));
            }
            assertEquals(List.of(), SipTraces.received(run.uas(), "OPTIONS"), "the callee is not pinged");

            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, FAILED, 0.0, EXPIRED, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    @Timeout(value = 40)
    void aCallerAnsweringItsOptionsPing481GetsTheCallEndedWithByeToBothLegs() {
        Path work = E2eEnvironment.newWorkDir("dialog-ping-caller-481");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.shortTimerRoute(INTERVALS, "track = true, ping-caller = options"));
                SippPair call = SippPair.start(work, "dialog-ping-caller", "uac-481.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);

            assertEquals(1, SipTraces.received(run.uac(), "OPTIONS").size(), "pings to the caller\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uac(), "BYE").size(), "BYEs to the caller\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uas(), "BYE").size(), "BYEs to the callee\n" + run.describe());
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0), Duration.ofSeconds(5));
        }
    }

    /** The final response {@code side} sent to {@code method}. */
    private static SipMessageLog.Entry sentFinal(SippResult side, String method) {
        return SipMessageLog.parse(side.messages()).stream()
                .filter(e -> e.sent() && e.startLine().startsWith("SIP/2.0 2")
                        && SipTraces.cseq(e).endsWith(" " + method))
                .findFirst().orElseThrow(() -> new AssertionError("no 2xx to " + method + " sent by " + side.role()));
    }

    private static String toTag(SipMessageLog.Entry message) {
        return tag(message, "to");
    }

    private static String fromTag(SipMessageLog.Entry message) {
        return tag(message, "from");
    }

    private static String tag(SipMessageLog.Entry message, String header) {
        String value = message.header(header).isEmpty() ? "" : message.header(header).get(0);
        int tag = value.indexOf(";tag=");
        return tag < 0 ? "" : value.substring(tag + 5).split("[;>\\s]")[0];
    }

    /** One call, traced on both sides ({@code -trace_msg}), holding {@code holdMs} after its ACK. */
    private static SippProcess.Options oneTracedCall(int holdMs) {
        return SippPair.oneTracedCall(holdMs, CALL_BOUND);
    }
}

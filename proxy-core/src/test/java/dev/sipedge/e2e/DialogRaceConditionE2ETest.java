package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 5407 races through the real proxy ({@code sipedge.dialog { end-on-race-condition = true,
 * race-condition-timeout = 2s }}, the template's transaction timers), one SIPp call over UDP each:
 * <ul>
 * <li>a 2xx crossing the caller's CANCEL (§3.1.2; scripts/sipp/dialog-race-cancel and
 *     dialog-race-cancel-bye);</li>
 * <li>the caller's BYE on an early dialog crossing the callee's 2xx (§3.2.2;
 *     scripts/sipp/dialog-race-early-bye).</li>
 * </ul>
 * When the UAs leave such a call up, the proxy BYEs both legs once the timeout has run (Reason
 * {@code SIP;cause=487}); when they clear it themselves, or without the option, it sends nothing.
 * The SIPp scenarios check the BYEs they get (tags, Request-URI, CSeq, Via, Reason; a failed
 * check fails the call, and so does a BYE where none may come); the tests count the BYEs in the
 * message traces and read the proxy's metrics.
 */
@Tag("e2e")
class DialogRaceConditionE2ETest {

    private static final String RACE_ON = "end-on-race-condition = true, race-condition-timeout = 2s";
    private static final String RACE_OFF = "end-on-race-condition = false, race-condition-timeout = 2s";
    private static final String RACE_CLEARED = "sipedge_dialogs_ended_total{cause=\"race_condition\"}";
    private static final String BYES_SENT = "sipedge_dialog_requests_sent_total{kind=\"bye\"}";
    private static final String CALLER_BYE = "sipedge_dialogs_ended_total{cause=\"caller_bye\"}";
    private static final String CLEANUPS = "sipedge_dialog_race_cleanups_total";
    private static final Duration CALL_BOUND = Duration.ofSeconds(20);
    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    /**
     * scripts/sipp/dialog-race-cancel: INVITE, 180, CANCEL; the callee answers the INVITE 200
     * before the CANCEL 200; the caller ACKs and never sends BYE. The proxy keeps the call for
     * the 2 s timeout (still active right after the ACK), then BYEs both legs, which answer 200.
     */
    @Test
    @Timeout(value = 60)
    void answerThatCrossedACancelIsByedByTheProxyWhenTheCallerDoesNotHangUp() {
        Path work = E2eEnvironment.newWorkDir("dialog-race-cancel");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", config(RACE_ON));
                SippPair call = SippPair.start(work, "dialog-race-cancel", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            call.awaitUasReceived("ACK", 1, Duration.ofSeconds(10), proxy);
            DialogE2E.assertMetricsNow(proxy, Map.of(ACTIVE, 1.0, RACE_CLEARED, 0.0, BYES_SENT, 0.0),
                    "right after the ACK, within the race timeout");

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);
            assertEquals(1, SipTraces.received(run.uac(), "BYE").size(), "BYEs the caller got\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uas(), "BYE").size(), "BYEs the callee got\n" + run.describe());
            proxy.awaitMetrics(Map.of(RACE_CLEARED, 1.0, CLEANUPS, 1.0, BYES_SENT, 2.0, ACTIVE, 0.0, EARLY, 0.0,
                    PROCESSED, 1.0), Duration.ofSeconds(5));
        }
    }

    /**
     * scripts/sipp/dialog-race-cancel-bye: the same race, but the caller sends BYE right after
     * its ACK (RFC 5407). The call ends as the caller's BYE; the proxy sends no BYE of its own:
     * the callee gets exactly one BYE, the caller none, within the timeout plus 1.5 s.
     */
    @Test
    @Timeout(value = 60)
    void answerThatCrossedACancelIsLeftToACallerThatHangsUp() {
        Path work = E2eEnvironment.newWorkDir("dialog-race-cancel-bye");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", config(RACE_ON));
                SippPair call = SippPair.start(work, "dialog-race-cancel-bye", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);
            assertEquals(0, SipTraces.received(run.uac(), "BYE").size(), "BYEs the caller got\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uas(), "BYE").size(), "BYEs the callee got\n" + run.describe());
            DialogE2E.assertMetricsNow(proxy, Map.of(RACE_CLEARED, 0.0, BYES_SENT, 0.0, CALLER_BYE, 1.0, ACTIVE, 0.0,
                    EARLY, 0.0, PROCESSED, 1.0), "after the call, well past the race timeout");
        }
    }

    /**
     * scripts/sipp/dialog-race-cancel-bye with uac-late-bye.xml, {@code end-on-race-condition =
     * false}: the answer that crossed the CANCEL stays up. 3 s after the ACK (past the 2 s the
     * option would give) the call is still active and the proxy has sent no BYE; the caller
     * hangs up itself at 4 s.
     */
    @Test
    @Timeout(value = 60)
    void withoutTheOptionAnAnswerThatCrossedACancelStaysUp() {
        Path work = E2eEnvironment.newWorkDir("dialog-race-cancel-off");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", config(RACE_OFF));
                SippPair call = SippPair.start(work, "dialog-race-cancel-bye", "uac-late-bye.xml",
                        proxy.sipAddress(), uasPort, oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            call.awaitUasReceived("ACK", 1, Duration.ofSeconds(10), proxy);
            pause(Duration.ofSeconds(3));
            DialogE2E.assertMetricsNow(proxy, Map.of(ACTIVE, 1.0, RACE_CLEARED, 0.0, BYES_SENT, 0.0),
                    "3 s after the ACK, the option off");

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);
            assertEquals(0, SipTraces.received(run.uac(), "BYE").size(), "BYEs the caller got\n" + run.describe());
            assertEquals(1, SipTraces.received(run.uas(), "BYE").size(), "BYEs the callee got\n" + run.describe());
            proxy.awaitMetrics(Map.of(CALLER_BYE, 1.0, RACE_CLEARED, 0.0, BYES_SENT, 0.0, ACTIVE, 0.0, EARLY, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    /**
     * scripts/sipp/dialog-race-early-bye: INVITE, 180; the caller BYEs the early dialog; the
     * callee answers the INVITE 200 as the BYE reaches it (so the 200 follows the BYE through the
     * proxy) and the BYE 481; the caller ACKs the 200 and sends no second BYE. The dialog ended
     * at the BYE (no BYE sent yet once the ACK is through); after the 2 s timeout the proxy BYEs
     * both legs of the call the 200 set up, which answer 200. The end counters keep the first
     * end (the caller's BYE), as the module's unit tests specify.
     */
    @Test
    @Timeout(value = 60)
    void answerThatCrossedAnEarlyByeIsByedByTheProxy() {
        Path work = E2eEnvironment.newWorkDir("dialog-race-early-bye");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", config(RACE_ON));
                SippPair call = SippPair.start(work, "dialog-race-early-bye", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            call.awaitUasReceived("ACK", 1, Duration.ofSeconds(10), proxy);
            DialogE2E.assertMetricsNow(proxy, Map.of(RACE_CLEARED, 0.0, BYES_SENT, 0.0),
                    "right after the ACK, within the race timeout");

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);
            assertEquals(1, SipTraces.received(run.uac(), "BYE").size(), "BYEs the caller got\n" + run.describe());
            assertEquals(2, SipTraces.received(run.uas(), "BYE").size(),
                    "BYEs the callee got (the caller's, then the proxy's)\n" + run.describe());
            // A dialog is counted once, at its first end: the early BYE (caller_bye; failed, as it
            // was never answered in our table). The clean-up shows as a race clean-up and two BYEs.
            proxy.awaitMetrics(Map.of(BYES_SENT, 2.0, CLEANUPS, 1.0, CALLER_BYE, 1.0, RACE_CLEARED, 0.0, FAILED, 1.0,
                    ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0), Duration.ofSeconds(5));
        }
    }

    /**
     * scripts/sipp/dialog-race-early-bye-again: the same race, but after its ACK the caller BYEs
     * the call the 200 set up (CSeq 3). That BYE clears the race: the proxy relays it and sends
     * no BYE of its own; the callee gets exactly the caller's two BYEs, the caller none.
     */
    @Test
    @Timeout(value = 60)
    void answerThatCrossedAnEarlyByeIsLeftToACallerThatHangsUpAgain() {
        Path work = E2eEnvironment.newWorkDir("dialog-race-early-bye-again");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", config(RACE_ON));
                SippPair call = SippPair.start(work, "dialog-race-early-bye-again", "uac.xml",
                        proxy.sipAddress(), uasPort, oneTracedCall(0), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);
            assertEquals(0, SipTraces.received(run.uac(), "BYE").size(), "BYEs the caller got\n" + run.describe());
            assertEquals(2, SipTraces.received(run.uas(), "BYE").size(),
                    "BYEs the callee got (both the caller's)\n" + run.describe());
            DialogE2E.assertMetricsNow(proxy, Map.of(BYES_SENT, 0.0, RACE_CLEARED, 0.0, CALLER_BYE, 1.0, ACTIVE, 0.0,
                    EARLY, 0.0, PROCESSED, 1.0), "after the call, well past the race timeout");
        }
    }

    /**
     * {@code sipedge.dialog { <race> }} and one tracked route. The template's timers (T1 = 500 ms)
     * stay: with a short T1 the proxy would retransmit its CANCEL or BYE to the callee while
     * SIPp is between two sends, where it cannot take a message.
     */
    private static String config(String race) {
        return "sipedge.dialog { " + race + " }\n" + DialogE2E.trackedRoute("track = true");
    }

    /** Lets time pass on the proxy's clock while the SIPp calls hold (no event to wait on). */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One call, traced on both sides ({@code -trace_msg}), holding {@code holdMs} after its ACK. */
    private static SippProcess.Options oneTracedCall(int holdMs) {
        return SippPair.oneTracedCall(holdMs, CALL_BOUND);
    }
}

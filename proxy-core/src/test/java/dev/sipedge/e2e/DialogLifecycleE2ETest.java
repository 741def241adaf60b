package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dialog gauges follow calls through their life (DESIGN.md, metrics): five calls through a
 * route with {@code dialog.track = true} (scripts/sipp/dialog-hold) ring for 3 s, hold for 3 s
 * after the ACK, then end with BYE. While they ring, {@code sipedge_dialogs_early} is 5; while
 * they hold, {@code sipedge_dialogs_active} is 5 and early 0; after the BYEs both are 0, and
 * {@code sipedge_dialogs_processed_total} counted 5 with none failed or expired. Calls refused
 * by the callee or cancelled by the caller count in {@code sipedge_dialogs_failed_total}.
 */
@Tag("e2e")
class DialogLifecycleE2ETest {

    private static final int CALLS = 5;
    private static final String ACTIVE = "sipedge_dialogs_active";
    private static final String EARLY = "sipedge_dialogs_early";
    private static final String PROCESSED = "sipedge_dialogs_processed_total";
    private static final String FAILED = "sipedge_dialogs_failed_total";
    private static final String EXPIRED = "sipedge_dialogs_expired_total";
    private static final String TRACKED_ROUTE = """
            sipedge.routes = [
              { next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@", dialog { track = true } }
            ]
            """;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void callsThatRingThenHoldThenEndAreEarlyThenActiveThenGone() {
        Path work = E2eEnvironment.newWorkDir("dialog-lifecycle");
        int uasPort = FreePorts.udpAndTcp();
        Path scenario = E2eEnvironment.scenario("dialog-hold");
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", TRACKED_ROUTE);
                SippProcess uas = SippProcess.startUas(work, scenario, uasPort, new SippProcess.Options()
                        .calls(CALLS).uasTimeWaitMs(1000).timeout(Duration.ofSeconds(60)));
                SippProcess uac = SippProcess.startUac(work, scenario, proxy.sipAddress(), FreePorts.udpAndTcp(),
                        new SippProcess.Options().calls(CALLS).rate(10).holdMs(3000).timeout(Duration.ofSeconds(40)))) {
            // the UAS rings for 3 s before its 200: every call is early at once
            proxy.awaitMetrics(Map.of(EARLY, 5.0, ACTIVE, 0.0, PROCESSED, 5.0), Duration.ofSeconds(10));
            // then the caller holds for 3 s after its ACK
            proxy.awaitMetrics(Map.of(ACTIVE, 5.0, EARLY, 0.0, PROCESSED, 5.0), Duration.ofSeconds(10));

            SippResult uacResult = uac.awaitExit(Duration.ofSeconds(50));
            SippResult uasResult = uas.awaitExit(Duration.ofSeconds(15));
            assertCallsSucceeded(CALLS, uacResult, uasResult, proxy);

            // every BYE went through the proxy and was answered: nothing is left
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 5.0, FAILED, 0.0, EXPIRED, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    /**
     * Tracked calls that never get a 2xx end as failed: scripts/sipp/busy (the callee answers
     * 486) and scripts/sipp/cancel (the caller cancels after 180, the callee answers 487).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"busy", "cancel"})
    @Timeout(value = 60)
    void unansweredCallsEndAsFailed(String scenario) {
        Path work = E2eEnvironment.newWorkDir("dialog-failed-" + scenario);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", TRACKED_ROUTE)) {
            CallRun run = CallRun.run(work, proxy, scenario, uasPort, new SippProcess.Options()
                    .calls(CALLS).rate(10).uasTimeWaitMs(1000).timeout(Duration.ofSeconds(30)));
            run.assertAllSucceeded(CALLS);
            proxy.awaitMetrics(Map.of(FAILED, 5.0, PROCESSED, 5.0, ACTIVE, 0.0, EARLY, 0.0, EXPIRED, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    /** Both SIPp sides completed {@code calls} calls without a failure, and the proxy lives. */
    private static void assertCallsSucceeded(int calls, SippResult uac, SippResult uas, SipedgeProcess proxy) {
        String context = uac.describe() + "\n" + uas.describe() + "\n--- proxy log (tail):\n" + proxy.logTail(30);
        assertAll(
                () -> assertEquals(0, uac.exitStatus(), "UAC exit status\n" + context),
                () -> assertEquals(calls, uac.successful(), "UAC successful calls\n" + context),
                () -> assertEquals(0, uac.failed(), "UAC failed calls\n" + context),
                () -> assertEquals(0, uas.exitStatus(), "UAS exit status\n" + context),
                () -> assertEquals(calls, uas.successful(), "UAS successful calls\n" + context),
                () -> assertEquals(0, uas.failed(), "UAS failed calls\n" + context),
                () -> assertTrue(proxy.isAlive(), "the proxy died\n" + context));
    }
}

package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dialog gauges follow calls through their life (DESIGN.md, metrics): five calls through a
 * route with {@code dialog.track = true} (scripts/sipp/dialog-hold) ring for 3 s, hold for 3 s
 * after the ACK, then end with BYE, over UDP and over TCP (both SIPp sides and the proxy's route
 * to the callee). While they ring, {@code sipedge_dialogs_early} is 5; while they hold,
 * {@code sipedge_dialogs_active} is 5 and early 0; after the BYEs both are 0, and
 * {@code sipedge_dialogs_processed_total} counted 5 with none failed or expired. Calls refused
 * by the callee or cancelled by the caller count in {@code sipedge_dialogs_failed_total}.
 */
@Tag("e2e")
class DialogLifecycleE2ETest {

    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(15);
    private static final int CALLS = 5;
    private static final String TRACKED_ROUTE = DialogE2E.trackedRoute("track = true");

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    /** {@code routeTransport} is the proxy's route to the callee, {@code sippTransport} sipp -t. */
    @ParameterizedTest(name = "over {0}")
    @CsvSource({"udp, u1", "tcp, t1"})
    @Timeout(value = 90)
    void callsThatRingThenHoldThenEndAreEarlyThenActiveThenGone(String routeTransport, String sippTransport) {
        Path work = E2eEnvironment.newWorkDir("dialog-lifecycle-" + routeTransport);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, routeTransport, TRACKED_ROUTE);
                SippPair calls = SippPair.start(work, "dialog-hold", "uac.xml", proxy.sipAddress(), uasPort,
                        new SippProcess.Options().transport(sippTransport).calls(CALLS).rate(10).holdMs(3000)
                                .timeout(Duration.ofSeconds(40)),
                        Duration.ofSeconds(60))) {
            // the UAS rings for 3 s before its 200: every call is early at once
            proxy.awaitMetrics(Map.of(EARLY, 5.0, ACTIVE, 0.0, PROCESSED, 5.0), Duration.ofSeconds(10));
            // then the caller holds for 3 s after its ACK
            proxy.awaitMetrics(Map.of(ACTIVE, 5.0, EARLY, 0.0, PROCESSED, 5.0), Duration.ofSeconds(10));

            calls.awaitEnd(Duration.ofSeconds(50), UAS_EXIT_BOUND, proxy).assertAllSucceeded(CALLS);

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
}

package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
import static dev.sipedge.e2e.DialogE2E.UNMATCHED;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dialog outliving its route's lifetime ({@code dialog { track = true, timeout = 2s }}) ends as
 * expired: one call of scripts/sipp/basic holds 5 s after its ACK, and before its BYE reaches the
 * proxy, {@code sipedge_dialogs_expired_total} is 1 and {@code sipedge_dialogs_active} 0. The BYE
 * that comes later still carries the dead dialog's cookie: it is relayed to the callee (which
 * answers 200) and counted in {@code sipedge_dialogs_unmatched_requests_total}.
 * (BYE-on-timeout, the proxy ending both legs itself, is not asserted here.)
 */
@Tag("e2e")
class DialogTimeoutE2ETest {

    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(15);
    private static final String BYES_RECEIVED = "sipedge_requests_received_total{method=\"BYE\"}";

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 60)
    void aCallHoldingLongerThanTheRouteTimeoutEndsAsExpiredBeforeItsBye() {
        Path work = E2eEnvironment.newWorkDir("dialog-timeout");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.trackedRoute("track = true, timeout = 2s"));
                SippPair calls = SippPair.start(work, "basic", "uac.xml", proxy.sipAddress(), uasPort,
                        new SippProcess.Options().calls(1).holdMs(5000).timeout(Duration.ofSeconds(20)),
                        Duration.ofSeconds(30))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0, EXPIRED, 0.0), Duration.ofSeconds(10));

            SipedgeProcess.Metrics expired = proxy.awaitMetrics(
                    Map.of(EXPIRED, 1.0, ACTIVE, 0.0, EARLY, 0.0, FAILED, 0.0, PROCESSED, 1.0), Duration.ofSeconds(10));
            double byes = expired.value(BYES_RECEIVED);
            assertFalse(byes > 0, "the dialog was counted expired only after the BYE reached the proxy ("
                    + BYES_RECEIVED + " = " + byes + "):\n" + expired.lines("sipedge_"));

            // the late BYE is still relayed and answered
            calls.awaitEnd(Duration.ofSeconds(30), UAS_EXIT_BOUND, proxy).assertAllSucceeded(1);

            DialogE2E.assertMetricsNow(proxy, Map.of(EXPIRED, 1.0, ACTIVE, 0.0, PROCESSED, 1.0, UNMATCHED, 1.0),
                    "after the late BYE");
        }
    }
}

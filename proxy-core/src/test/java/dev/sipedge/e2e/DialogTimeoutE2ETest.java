package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static final String ACTIVE = "sipedge_dialogs_active";
    private static final String EARLY = "sipedge_dialogs_early";
    private static final String PROCESSED = "sipedge_dialogs_processed_total";
    private static final String FAILED = "sipedge_dialogs_failed_total";
    private static final String EXPIRED = "sipedge_dialogs_expired_total";
    private static final String UNMATCHED = "sipedge_dialogs_unmatched_requests_total";
    private static final String BYES_RECEIVED = "sipedge_requests_received_total{method=\"BYE\"}";
    private static final String SHORT_LIFETIME_ROUTE = """
            sipedge.routes = [
              { next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@", dialog { track = true, timeout = 2s } }
            ]
            """;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 60)
    void aCallHoldingLongerThanTheRouteTimeoutEndsAsExpiredBeforeItsBye() {
        Path work = E2eEnvironment.newWorkDir("dialog-timeout");
        int uasPort = FreePorts.udpAndTcp();
        Path scenario = E2eEnvironment.scenario("basic");
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", SHORT_LIFETIME_ROUTE);
                SippProcess uas = SippProcess.startUas(work, scenario, uasPort, new SippProcess.Options()
                        .calls(1).uasTimeWaitMs(1000).timeout(Duration.ofSeconds(30)));
                SippProcess uac = SippProcess.startUac(work, scenario, proxy.sipAddress(), FreePorts.udpAndTcp(),
                        new SippProcess.Options().calls(1).holdMs(5000).timeout(Duration.ofSeconds(20)))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0, EXPIRED, 0.0), Duration.ofSeconds(10));

            SipedgeProcess.Metrics expired = proxy.awaitMetrics(
                    Map.of(EXPIRED, 1.0, ACTIVE, 0.0, EARLY, 0.0, FAILED, 0.0, PROCESSED, 1.0), Duration.ofSeconds(10));
            double byes = expired.value(BYES_RECEIVED);
            assertFalse(byes > 0, "the dialog was counted expired only after the BYE reached the proxy ("
                    + BYES_RECEIVED + " = " + byes + "):\n" + expired.lines("sipedge_"));

            SippResult uacResult = uac.awaitExit(Duration.ofSeconds(30));
            SippResult uasResult = uas.awaitExit(Duration.ofSeconds(15));
            String context = uacResult.describe() + "\n" + uasResult.describe() + "\n--- proxy log (tail):\n"
                    + proxy.logTail(30);
            // the late BYE is still relayed and answered
            assertAll(
                    () -> assertEquals(0, uacResult.exitStatus(), "UAC exit status\n" + context),
                    () -> assertEquals(1, uacResult.successful(), "UAC successful calls\n" + context),
                    () -> assertEquals(0, uasResult.exitStatus(), "UAS exit status\n" + context),
                    () -> assertEquals(1, uasResult.successful(), "UAS successful calls\n" + context),
                    () -> assertTrue(proxy.isAlive(), "the proxy died\n" + context));

            SipedgeProcess.Metrics after = proxy.scrapeMetrics();
            Map<String, Double> expected = Map.of(EXPIRED, 1.0, ACTIVE, 0.0, PROCESSED, 1.0, UNMATCHED, 1.0);
            assertEquals(expected, after.values(expected.keySet()),
                    "after the late BYE:\n" + after.lines("sipedge_dialog"));
        }
    }
}

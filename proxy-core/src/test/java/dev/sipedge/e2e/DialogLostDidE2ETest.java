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

/**
 * A BYE whose Route lost the dialog cookie (scripts/sipp/dialog-lost-did: the caller sends it
 * with a hand-written {@code Route: <sip:proxy;lr>} without {@code did}, to the callee's
 * Contact). The proxy relays it either way, since the Route entry is its own (RFC 3261 16.4), and
 * the callee answers 200; what happens to the dialog depends on
 * {@code sipedge.dialog.match-mode}:
 * <ul>
 *   <li>{@code did-fallback} (the default): the BYE is matched by Call-ID and tags and ends the
 *       dialog at once;</li>
 *   <li>{@code did-only}: without a cookie nothing matches, the dialog stays active after the BYE,
 *       and only its lifetime ({@code dialog.timeout = 8s} on the route) ends it, as expired.</li>
 * </ul>
 */
@Tag("e2e")
class DialogLostDidE2ETest {

    private static final String ACTIVE = "sipedge_dialogs_active";
    private static final String EARLY = "sipedge_dialogs_early";
    private static final String PROCESSED = "sipedge_dialogs_processed_total";
    private static final String FAILED = "sipedge_dialogs_failed_total";
    private static final String EXPIRED = "sipedge_dialogs_expired_total";
    private static final String CONFIG = """
            sipedge.dialog.match-mode = %s
            sipedge.routes = [
              { next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@", dialog { track = true, timeout = 8s } }
            ]
            """;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 60)
    void inDidFallbackModeTheByeEndsTheDialog() {
        Path work = E2eEnvironment.newWorkDir("dialog-lost-did-fallback");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG.formatted("did-fallback"))) {
            runOneCall(work, proxy, uasPort);
            // within the 8 s lifetime, and not counted as expired: the BYE ended it
            SipedgeProcess.Metrics after = proxy.scrapeMetrics();
            Map<String, Double> expected = Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, EXPIRED, 0.0,
                    FAILED, 0.0);
            assertEquals(expected, after.values(expected.keySet()),
                    "after the BYE without did (did-fallback):\n" + after.lines("sipedge_dialog"));
        }
    }

    @Test
    @Timeout(value = 60)
    void inDidOnlyModeTheByeIsRelayedButTheDialogLivesUntilItsTimeout() {
        Path work = E2eEnvironment.newWorkDir("dialog-lost-did-only");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG.formatted("did-only"))) {
            runOneCall(work, proxy, uasPort);
            // the BYE went through (the callee answered it) but matched no dialog
            SipedgeProcess.Metrics after = proxy.scrapeMetrics();
            Map<String, Double> expected = Map.of(ACTIVE, 1.0, PROCESSED, 1.0, EXPIRED, 0.0);
            assertEquals(expected, after.values(expected.keySet()),
                    "after the BYE without did (did-only):\n" + after.lines("sipedge_dialog"));
            // the route's 8 s lifetime ends it
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, EXPIRED, 1.0, PROCESSED, 1.0, FAILED, 0.0),
                    Duration.ofSeconds(15));
        }
    }

    /** One call of scripts/sipp/dialog-lost-did (hold 1 s); returns once both sides are done. */
    private static void runOneCall(Path work, SipedgeProcess proxy, int uasPort) {
        Path scenario = E2eEnvironment.scenario("dialog-lost-did");
        try (SippProcess uas = SippProcess.startUas(work, scenario, uasPort, new SippProcess.Options()
                        .calls(1).uasTimeWaitMs(1000).timeout(Duration.ofSeconds(30)));
                SippProcess uac = SippProcess.startUac(work, scenario, proxy.sipAddress(), FreePorts.udpAndTcp(),
                        new SippProcess.Options().calls(1).holdMs(1000).timeout(Duration.ofSeconds(20)))) {
            // while the call holds, its dialog is confirmed
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));
            SippResult uacResult = uac.awaitExit(Duration.ofSeconds(30));
            SippResult uasResult = uas.awaitExit(Duration.ofSeconds(15));
            String context = uacResult.describe() + "\n" + uasResult.describe() + "\n--- proxy log (tail):\n"
                    + proxy.logTail(30);
            // the UAC's call succeeds only when its BYE got a 200, the UAS's only when it got the BYE
            assertAll(
                    () -> assertEquals(0, uacResult.exitStatus(), "UAC exit status\n" + context),
                    () -> assertEquals(1, uacResult.successful(), "UAC successful calls\n" + context),
                    () -> assertEquals(0, uasResult.exitStatus(), "UAS exit status\n" + context),
                    () -> assertEquals(1, uasResult.successful(), "UAS successful calls\n" + context),
                    () -> assertTrue(proxy.isAlive(), "the proxy died\n" + context));
        }
    }
}

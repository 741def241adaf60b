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

    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(15);
    private static final String ROUTE_DIALOG = "track = true, timeout = 8s";

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 60)
    void inDidFallbackModeTheByeEndsTheDialog() {
        try (SipedgeProcess proxy = runOneCall("dialog-lost-did-fallback", "did-fallback")) {
            // within the 8 s lifetime, and not counted as expired: the BYE ended it
            DialogE2E.assertMetricsNow(proxy,
                    Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, EXPIRED, 0.0, FAILED, 0.0),
                    "after the BYE without did (did-fallback)");
        }
    }

    @Test
    @Timeout(value = 60)
    void inDidOnlyModeTheByeIsRelayedButTheDialogLivesUntilItsTimeout() {
        try (SipedgeProcess proxy = runOneCall("dialog-lost-did-only", "did-only")) {
            // the BYE went through (the callee answered it) but matched no dialog
            DialogE2E.assertMetricsNow(proxy, Map.of(ACTIVE, 1.0, PROCESSED, 1.0, EXPIRED, 0.0),
                    "after the BYE without did (did-only)");
            // the route's 8 s lifetime ends it
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, EXPIRED, 1.0, PROCESSED, 1.0, FAILED, 0.0),
                    Duration.ofSeconds(15));
        }
    }

    /**
     * Starts a proxy in {@code matchMode} and runs one call of scripts/sipp/dialog-lost-did
     * (hold 1 s) through it; returns the running proxy once both sides are done.
     */
    private static SipedgeProcess runOneCall(String name, String matchMode) {
        Path work = E2eEnvironment.newWorkDir(name);
        int uasPort = FreePorts.udpAndTcp();
        SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                DialogE2E.trackedRoute(matchMode, ROUTE_DIALOG));
        try (SippPair calls = SippPair.start(work, "dialog-lost-did", "uac.xml", proxy.sipAddress(), uasPort,
                new SippProcess.Options().calls(1).holdMs(1000).timeout(Duration.ofSeconds(20)),
                Duration.ofSeconds(30))) {
            // while the call holds, its dialog is confirmed
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));
            // the UAC's call succeeds only when its BYE got a 200, the UAS's only when it got the BYE
            calls.awaitEnd(Duration.ofSeconds(30), UAS_EXIT_BOUND, proxy).assertAllSucceeded(1);
            return proxy;
        } catch (RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
    }
}

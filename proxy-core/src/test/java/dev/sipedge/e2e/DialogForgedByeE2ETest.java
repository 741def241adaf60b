package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
import static dev.sipedge.e2e.DialogE2E.UNMATCHED;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A BYE carrying a dialog's real {@code did} cookie but not its tags does not end the dialog
 * (scripts/sipp/dialog-forged-bye): after the ACK the caller sends a BYE with a forged From tag
 * and one with a forged To tag, both with the real Route set (cookie included), Call-ID and
 * Request-URI. The proxy relays them (the callee refuses them with 481) and counts them in
 * {@code sipedge_dialogs_unmatched_requests_total}, and the dialog stays active; the caller's
 * real BYE then ends it. Run in both modes that read the cookie.
 */
@Tag("e2e")
class DialogForgedByeE2ETest {

    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(15);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @ParameterizedTest(name = "match-mode = {0}")
    @ValueSource(strings = {"did-fallback", "did-only"})
    @Timeout(value = 60)
    void byesWithTheRealCookieButForgedTagsLeaveTheDialogActive(String matchMode) {
        Path work = E2eEnvironment.newWorkDir("dialog-forged-bye-" + matchMode);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.trackedRoute(matchMode, "track = true"));
                // the caller pauses 3 s between the forged BYEs and its real one
                SippPair calls = SippPair.start(work, "dialog-forged-bye", "uac.xml", proxy.sipAddress(), uasPort,
                        new SippProcess.Options().calls(1).holdMs(3000).timeout(Duration.ofSeconds(20)),
                        Duration.ofSeconds(30))) {
            // both forged BYEs went through the proxy, and the dialog is still there
            proxy.awaitMetrics(Map.of(UNMATCHED, 2.0, ACTIVE, 1.0, PROCESSED, 1.0, EXPIRED, 0.0, FAILED, 0.0),
                    Duration.ofSeconds(10));

            // each side's call succeeds only with 481, 481, then 200 to the real BYE, in that order
            calls.awaitEnd(Duration.ofSeconds(30), UAS_EXIT_BOUND, proxy).assertAllSucceeded(1);

            // the real BYE ended it
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, EXPIRED, 0.0, FAILED, 0.0,
                    UNMATCHED, 2.0), Duration.ofSeconds(5));
        }
    }
}

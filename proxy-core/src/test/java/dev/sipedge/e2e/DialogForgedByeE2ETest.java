package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static final String ACTIVE = "sipedge_dialogs_active";
    private static final String EARLY = "sipedge_dialogs_early";
    private static final String PROCESSED = "sipedge_dialogs_processed_total";
    private static final String FAILED = "sipedge_dialogs_failed_total";
    private static final String EXPIRED = "sipedge_dialogs_expired_total";
    private static final String UNMATCHED = "sipedge_dialogs_unmatched_requests_total";
    private static final String CONFIG = """
            sipedge.dialog.match-mode = %s
            sipedge.routes = [
              { next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@", dialog { track = true } }
            ]
            """;

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
        Path scenario = E2eEnvironment.scenario("dialog-forged-bye");
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG.formatted(matchMode));
                SippProcess uas = SippProcess.startUas(work, scenario, uasPort, new SippProcess.Options()
                        .calls(1).uasTimeWaitMs(1000).timeout(Duration.ofSeconds(30)));
                // the caller pauses 3 s between the forged BYEs and its real one
                SippProcess uac = SippProcess.startUac(work, scenario, proxy.sipAddress(), FreePorts.udpAndTcp(),
                        new SippProcess.Options().calls(1).holdMs(3000).timeout(Duration.ofSeconds(20)))) {
            // both forged BYEs went through the proxy, and the dialog is still there
            proxy.awaitMetrics(Map.of(UNMATCHED, 2.0, ACTIVE, 1.0, PROCESSED, 1.0, EXPIRED, 0.0, FAILED, 0.0),
                    Duration.ofSeconds(10));

            SippResult uacResult = uac.awaitExit(Duration.ofSeconds(30));
            SippResult uasResult = uas.awaitExit(Duration.ofSeconds(15));
            String context = uacResult.describe() + "\n" + uasResult.describe() + "\n--- proxy log (tail):\n"
                    + proxy.logTail(30);
            // each side's call succeeds only with 481, 481, then 200 to the real BYE, in that order
            assertAll(
                    () -> assertEquals(0, uacResult.exitStatus(), "UAC exit status\n" + context),
                    () -> assertEquals(1, uacResult.successful(), "UAC successful calls\n" + context),
                    () -> assertEquals(0, uasResult.exitStatus(), "UAS exit status\n" + context),
                    () -> assertEquals(1, uasResult.successful(), "UAS successful calls\n" + context),
                    () -> assertTrue(proxy.isAlive(), "the proxy died\n" + context));

            // the real BYE ended it
            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, EXPIRED, 0.0, FAILED, 0.0,
                    UNMATCHED, 2.0), Duration.ofSeconds(5));
        }
    }
}

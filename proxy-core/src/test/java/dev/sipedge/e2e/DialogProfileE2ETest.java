package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
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
 * A dialog profile caps calls per caller (OpenSIPS {@code get_profile_size} + reject, here
 * declared on the route): {@code profiles = [ { name = caller, value = "${from.user}", max = 1,
 * reject = 486 } ]}, with scripts/sipp/dialog-profile.
 * <ol>
 *   <li>alice's first call holds; {@code sipedge_dialog_profile_size{profile="caller"}} is 1;</li>
 *   <li>meanwhile bob's call passes (another value of the profile), and alice's second call is
 *       refused with 486 by the proxy itself: it never reaches the callee (the UAS, run for
 *       exactly the calls that must reach it, logs three INVITEs in all);</li>
 *   <li>once alice's first call has ended, the profile is empty and her next call passes.</li>
 * </ol>
 */
@Tag("e2e")
class DialogProfileE2ETest {

    private static final String CALLER_PROFILE = "sipedge_dialog_profile_size{profile=\"caller\"}";
    private static final String CONFIG = """
            sipedge.dialog.profiles.with-value = [caller]
            sipedge.routes = [
              {
                next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@"
                dialog {
                  track = true
                  profiles = [ { name = caller, value = "${from.user}", max = 1, reject = 486 } ]
                }
              }
            ]
            """;
    /** alice's first call, bob's, alice's third: the refused one is not among them. */
    private static final int CALLS_REACHING_THE_CALLEE = 3;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void aSecondCallFromTheSameCallerIsRefusedWith486WhileTheFirstHolds() {
        Path work = E2eEnvironment.newWorkDir("dialog-profile");
        int uasPort = FreePorts.udpAndTcp();
        Path scenario = E2eEnvironment.scenario("dialog-profile");
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG);
                SippProcess uas = SippProcess.startUas(work, scenario, uasPort, new SippProcess.Options()
                        .calls(CALLS_REACHING_THE_CALLEE).uasTimeWaitMs(1000).traceMessages(true)
                        .timeout(Duration.ofSeconds(60)))) {
            SippResult first;
            try (SippProcess aliceFirst = uac(work.resolve("alice-1"), scenario, "uac.xml", proxy, "alice", 8000)) {
                proxy.awaitMetrics(Map.of(CALLER_PROFILE, 1.0, ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));

                SippResult bob;
                SippResult aliceRefused;
                try (SippProcess bobCall = uac(work.resolve("bob"), scenario, "uac.xml", proxy, "bob", 100);
                        SippProcess aliceSecond = uac(work.resolve("alice-2"), scenario, "uac-busy.xml", proxy,
                                "alice", 100)) {
                    bob = bobCall.awaitExit(Duration.ofSeconds(20));
                    aliceRefused = aliceSecond.awaitExit(Duration.ofSeconds(20));
                }
                assertSucceeded(proxy, "bob's call while alice holds", bob);
                assertSucceeded(proxy, "alice's second call, refused with 486", aliceRefused);
                // still within alice's 8 s hold: bob's dialog has ended, hers remains, the refused one never was
                DialogE2E.assertMetricsNow(proxy,
                        Map.of(CALLER_PROFILE, 1.0, ACTIVE, 1.0, PROCESSED, 2.0, FAILED, 0.0),
                        "while alice's first call holds");

                first = aliceFirst.awaitExit(Duration.ofSeconds(20));
            }
            assertSucceeded(proxy, "alice's first call", first);
            proxy.awaitMetrics(Map.of(CALLER_PROFILE, 0.0, ACTIVE, 0.0), Duration.ofSeconds(5));

            SippResult third;
            try (SippProcess aliceThird = uac(work.resolve("alice-3"), scenario, "uac.xml", proxy, "alice", 100)) {
                third = aliceThird.awaitExit(Duration.ofSeconds(20));
            }
            assertSucceeded(proxy, "alice's call after her first ended", third);

            SippResult callee = uas.awaitExit(Duration.ofSeconds(15));
            assertSucceeded(proxy, "the callee", callee, CALLS_REACHING_THE_CALLEE);
            int invites = SipTraces.received(callee, "INVITE").size();
            assertEquals(CALLS_REACHING_THE_CALLEE, invites, "INVITEs that reached the callee\n" + callee.describe());
            proxy.awaitMetrics(Map.of(CALLER_PROFILE, 0.0, ACTIVE, 0.0, PROCESSED, 3.0, FAILED, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    /** One call of {@code scenario/xml} from {@code caller}, holding {@code holdMs} after its ACK. */
    private static SippProcess uac(Path dir, Path scenario, String xml, SipedgeProcess proxy, String caller,
                                   int holdMs) {
        return SippProcess.startUac(dir, scenario, xml, proxy.sipAddress(), FreePorts.udpAndTcp(),
                new SippProcess.Options().calls(1).holdMs(holdMs).service(caller).timeout(Duration.ofSeconds(15)));
    }

    private static void assertSucceeded(SipedgeProcess proxy, String what, SippResult result) {
        assertSucceeded(proxy, what, result, 1);
    }

    private static void assertSucceeded(SipedgeProcess proxy, String what, SippResult result, int calls) {
        String context = what + "\n" + result.describe() + "\n--- proxy log (tail):\n" + proxy.logTail(30);
        assertAll(
                () -> assertEquals(0, result.exitStatus(), "exit status: " + context),
                () -> assertEquals(calls, result.successful(), "successful calls: " + context),
                () -> assertEquals(0, result.failed(), "failed calls: " + context),
                () -> assertTrue(proxy.isAlive(), "the proxy died: " + context));
    }
}

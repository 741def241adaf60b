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
 * A per-tenant call cap written in the config with a header variable: {@code profiles = [ { name =
 * tenant, value = "${header.X-Tenant}", max = 1, reject = 503 }, { name = trunk, value =
 * "${source.ip}" } ]}, with scripts/sipp/dialog-tenant. All calls come from the same user and
 * address; only the X-Tenant header tells them apart.
 * <ol>
 *   <li>acme's first call holds: the tenant profile holds 1, the trunk profile (per source address,
 *       no cap) holds 1;</li>
 *   <li>meanwhile globex's call passes, and acme's second call is refused with the route's 503 by
 *       the proxy itself: it never reaches the callee (the UAS runs for exactly the two calls
 *       that must reach it);</li>
 *   <li>once acme's first call has ended, both profiles are empty.</li>
 * </ol>
 */
@Tag("e2e")
class DialogTenantProfileE2ETest {

    private static final String TENANT_PROFILE = "sipedge_dialog_profile_size{profile=\"tenant\"}";
    private static final String TRUNK_PROFILE = "sipedge_dialog_profile_size{profile=\"trunk\"}";
    private static final String CONFIG = """
            sipedge.dialog.profiles.with-value = [tenant, trunk]
            sipedge.routes = [
              {
                next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@"
                dialog {
                  track = true
                  profiles = [
                    { name = tenant, value = "${header.X-Tenant}", max = 1, reject = 503 }
                    { name = trunk, value = "${source.ip}" }
                  ]
                }
              }
            ]
            """;
    /** acme's first call and globex's: the refused one is not among them. */
    private static final int CALLS_REACHING_THE_CALLEE = 2;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void aSecondCallOfATenantAtItsCapIsRefusedWhileAnotherTenantsCallPasses() {
        Path work = E2eEnvironment.newWorkDir("dialog-tenant");
        int uasPort = FreePorts.udpAndTcp();
        Path scenario = E2eEnvironment.scenario("dialog-tenant");
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", CONFIG);
                SippProcess uas = SippProcess.startUas(work, scenario, uasPort,
                        new SippProcess.Options().calls(CALLS_REACHING_THE_CALLEE).uasTimeWaitMs(1000)
                                .traceMessages(true).timeout(Duration.ofSeconds(60)))) {
            SippResult acmeFirst;
            try (SippProcess acme = uac(work.resolve("acme-1"), scenario, "uac.xml", proxy, "acme", 8000)) {
                proxy.awaitMetrics(Map.of(TENANT_PROFILE, 1.0, TRUNK_PROFILE, 1.0, ACTIVE, 1.0, PROCESSED, 1.0),
                        Duration.ofSeconds(10));

                SippResult globex;
                SippResult acmeRefused;
                try (SippProcess globexCall = uac(work.resolve("globex"), scenario, "uac.xml", proxy, "globex", 100);
                        SippProcess acmeSecond = uac(work.resolve("acme-2"), scenario, "uac-refused.xml", proxy,
                                "acme", 100)) {
                    globex = globexCall.awaitExit(Duration.ofSeconds(20));
                    acmeRefused = acmeSecond.awaitExit(Duration.ofSeconds(20));
                }
                assertSucceeded(proxy, "globex's call while acme's holds", globex, 1);
                assertSucceeded(proxy, "acme's second call, refused with 503", acmeRefused, 1);
                // still within acme's 8 s hold: globex's dialog has ended, acme's remains, the refused one never was
                DialogE2E.assertMetricsNow(proxy, Map.of(TENANT_PROFILE, 1.0, TRUNK_PROFILE, 1.0, ACTIVE, 1.0,
                        PROCESSED, 2.0, FAILED, 0.0), "while acme's first call holds");

                acmeFirst = acme.awaitExit(Duration.ofSeconds(20));
            }
            assertSucceeded(proxy, "acme's first call", acmeFirst, 1);
            proxy.awaitMetrics(Map.of(TENANT_PROFILE, 0.0, TRUNK_PROFILE, 0.0, ACTIVE, 0.0), Duration.ofSeconds(5));

            SippResult callee = uas.awaitExit(Duration.ofSeconds(15));
            assertSucceeded(proxy, "the callee", callee, CALLS_REACHING_THE_CALLEE);
            assertEquals(CALLS_REACHING_THE_CALLEE, SipTraces.received(callee, "INVITE").size(),
                    "INVITEs that reached the callee\n" + callee.describe());
        }
    }

    /** One call of {@code scenario/xml} for {@code tenant}, holding {@code holdMs} after its ACK. */
    private static SippProcess uac(Path dir, Path scenario, String xml, SipedgeProcess proxy, String tenant,
                                   int holdMs) {
        return SippProcess.startUac(dir, scenario, xml, proxy.sipAddress(), FreePorts.udpAndTcp(),
                new SippProcess.Options().calls(1).holdMs(holdMs).service(tenant).timeout(Duration.ofSeconds(15)));
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

package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
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
 * {@code SIGHUP} reloads the routes of the running process without dropping a call
 * (DESIGN.md, lifecycle). Two calls through callee A hold (scripts/sipp/dialog-hold); the file is
 * rewritten to route to callee B and the proxy gets SIGHUP: two new calls reach B (B's UAS takes
 * exactly two calls, A's exactly the held two), while the held calls' BYEs, following their route
 * sets, still reach A and end normally. Then the file is broken and SIGHUP'd again: the reload is
 * refused with a log line, and a further call still reaches B through the routes in force.
 */
@Tag("e2e")
class ReloadE2ETest {

    private static final Duration CALL_BOUND = Duration.ofSeconds(40);
    private static final Duration UAS_BOUND = Duration.ofSeconds(60);
    private static final Duration LOG_BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    private static String routeTo(int uasPort) {
        return """
                sipedge.routes = [
                  { next-hop = "sip:127.0.0.1:%d;transport=udp", dialog { track = true } }
                ]
                """.formatted(uasPort);
    }

    private static SippProcess.Options calls(int count, int holdMs) {
        return new SippProcess.Options().calls(count).rate(10).holdMs(holdMs).timeout(CALL_BOUND).traceMessages(true);
    }

    @Test
    @Timeout(value = 120)
    void newCallsTakeTheNewNextHopWhileHeldCallsEndOnTheOldAndABrokenFileIsRefused() {
        Path work = E2eEnvironment.newWorkDir("reload");
        int uasA = FreePorts.udpAndTcp();
        int uasB = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasA, "udp", routeTo(uasA));
                SippPair held = SippPair.start(work.resolve("held-on-a"), "dialog-hold", "uac.xml",
                        proxy.sipAddress(), uasA, calls(2, 20_000), UAS_BOUND)) {
            // the UAS rings 3 s, then the calls hold for 20 s after their ACK
            proxy.awaitMetrics(Map.of(ACTIVE, 2.0), Duration.ofSeconds(15));

            proxy.rewriteConfig(routeTo(uasB) + "sipedge.warmup.calls = 0\n");
            proxy.signal("HUP");
            String applied = proxy.awaitLogLine("applied", 1, LOG_BOUND);
            assertTrue(applied.contains("changed [sipedge.routes]") && applied.contains("[sipedge.warmup.calls]"),
                    "the routes apply, the warm-up waits for a restart: " + applied);

            try (SippPair moved = SippPair.start(work.resolve("new-on-b"), "dialog-hold", "uac.xml",
                    proxy.sipAddress(), uasB, calls(2, 200), UAS_BOUND)) {
                moved.awaitEnd(CALL_BOUND, Duration.ofSeconds(15), proxy).assertAllSucceeded(2);
            }

            proxy.writeConfig("sipedge { routes = [ { next-hop = \"sip:127.0.0.1:@UAS_PORT@\" }\n");
            proxy.signal("HUP");
            String refused = proxy.awaitLogLine("refused", 1, LOG_BOUND);
            assertTrue(refused.contains("the running configuration stays") && refused.contains("sipedge.conf"),
                    "one line naming the file: " + refused);

            try (SippPair after = SippPair.start(work.resolve("after-refusal-on-b"), "dialog-hold", "uac.xml",
                    proxy.sipAddress(), uasB, calls(1, 200), UAS_BOUND)) {
                after.awaitEnd(CALL_BOUND, Duration.ofSeconds(15), proxy).assertAllSucceeded(1);
            }

            // the held calls end now: their BYEs go to A although the routes say B
            held.awaitEnd(CALL_BOUND, Duration.ofSeconds(15), proxy).assertAllSucceeded(2);
            assertEquals(2, SipTraces.received(work.resolve("held-on-a").resolve("uas"), "BYE").size(),
                    "callee A got both BYEs");
            assertEquals(2, SipTraces.received(work.resolve("held-on-a").resolve("uas"), "INVITE").size(),
                    "callee A got only the calls made before the reload");
            assertTrue(proxy.isAlive(), "a refused reload does not stop the proxy");
        }
    }
}

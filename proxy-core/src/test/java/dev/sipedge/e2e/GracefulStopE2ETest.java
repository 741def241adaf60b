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
 * {@code SIGTERM} stops the real process gracefully (DESIGN.md, lifecycle): with calls held
 * (scripts/sipp/dialog-hold), a new INVITE gets 503 with Retry-After (scripts/sipp/drain-refused),
 * the held calls' BYEs are relayed and answered, and the process exits 0 as soon as the last call
 * has ended, long before the grace, with the calls' end-of-call records written. With a call that never ends, it exits 0 once the grace is over.
 */
@Tag("e2e")
class GracefulStopE2ETest {

    private static final Duration CALL_BOUND = Duration.ofSeconds(60);
    private static final Duration UAS_BOUND = Duration.ofSeconds(90);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    private static SippProcess.Options heldCalls(int count, int holdMs) {
        return new SippProcess.Options().calls(count).rate(10).holdMs(holdMs).timeout(CALL_BOUND).traceMessages(true);
    }

    @Test
    @Timeout(value = 120)
    void newCallsGet503HeldCallsEndAndTheProcessExitsZeroAfterTheLastOne() {
        Path work = E2eEnvironment.newWorkDir("graceful-stop");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                DialogE2E.trackedRoute("track = true") + "sipedge.shutdown.grace = 60s\n");
                SippPair held = SippPair.start(work.resolve("held"), "dialog-hold", "uac.xml", proxy.sipAddress(),
                        uasPort, heldCalls(2, 8_000), UAS_BOUND)) {
            proxy.awaitMetrics(Map.of(ACTIVE, 2.0), Duration.ofSeconds(15));

            proxy.signal("TERM");
            proxy.awaitLogLine("graceful stop: draining", 1, Duration.ofSeconds(10));

            SippResult refused;
            try (SippProcess caller = SippProcess.startUac(work.resolve("refused"),
                    E2eEnvironment.scenario("drain-refused"), proxy.sipAddress(), FreePorts.udpAndTcp(),
                    new SippProcess.Options().calls(1).timeout(Duration.ofSeconds(15)).traceMessages(true))) {
                refused = caller.awaitExit(Duration.ofSeconds(20));
            }
            assertEquals(0, refused.exitStatus(), refused::describe);
            assertEquals(1, refused.successful(), () -> "503 with Retry-After\n" + refused.describe());
            assertTrue(refused.messages().contains("Retry-After: 60"), "the grace as Retry-After");
            assertTrue(proxy.isAlive(), "the proxy waits for the held calls");

            held.awaitEnd(CALL_BOUND, Duration.ofSeconds(15)).assertAllSucceeded(2, () -> proxy.logTail(20));
            long callsEnded = System.nanoTime();

            assertEquals(0, proxy.awaitExit(Duration.ofSeconds(15)), "exit status after a drain");
            Duration afterLastCall = Duration.ofNanos(System.nanoTime() - callsEnded);
            assertTrue(afterLastCall.compareTo(Duration.ofSeconds(10)) < 0,
                    "exited " + afterLastCall.toMillis() + " ms after the last call, not at the 60 s grace");
            proxy.awaitLogLine("graceful stop: drained in", 1, Duration.ofSeconds(1));
            // the process exits right after the last call: its end-of-call record must still be written
            proxy.awaitLogLine("sipedge.cdr - call ended", 2, Duration.ofSeconds(1));
        }
    }

    @Test
    @Timeout(value = 120)
    void aCallThatNeverEndsIsDroppedWhenTheGraceRunsOutAndTheExitIsStillZero() {
        Path work = E2eEnvironment.newWorkDir("graceful-stop-grace");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                DialogE2E.trackedRoute("track = true") + "sipedge.shutdown.grace = 3s\n");
                SippPair held = SippPair.start(work.resolve("held"), "dialog-hold", "uac.xml", proxy.sipAddress(),
                        uasPort, heldCalls(1, 60_000), UAS_BOUND)) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0), Duration.ofSeconds(15));

            long signalled = System.nanoTime();
            proxy.signal("TERM");
            int status = proxy.awaitExit(Duration.ofSeconds(20));
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            assertEquals(0, status, "exit status after the grace");
            assertTrue(took.compareTo(Duration.ofMillis(2900)) >= 0 && took.compareTo(Duration.ofSeconds(13)) < 0,
                    "exited " + took.toMillis() + " ms after SIGTERM with a 3 s grace");
            proxy.awaitLogLine("grace ran out", 1, Duration.ofSeconds(1));
        }
    }
}

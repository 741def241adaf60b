package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lifetimes across a crash (issue 10), with {@code bye-on-timeout} and scripts/sipp/dialog-bye-timeout
 * (both UAs wait for the proxy's BYE, and check it): a restored call gets its BYEs at its original
 * deadline, not a whole lifetime after the restart; a call whose deadline passed while the proxy
 * was down gets its BYEs right after the start.
 */
@Tag("e2e")
class DialogPersistenceTimeoutE2ETest {
    private static final int CALLS = 3;
    private static final Duration UAC_TIMEOUT = Duration.ofSeconds(40);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    private static String config(String timeout) {
        return """
                sipedge.dialog.node-id = e2e2
                sipedge.dialog.persistence { mode = realtime, url = "jdbc:sqlite:dialogs.db" }
                """ + DialogE2E.trackedRoute("track = true, timeout = " + timeout + ", bye-on-timeout = true");
    }

    private static SippProcess.Options options() {
        return new SippProcess.Options().calls(CALLS).rate(30).timeout(UAC_TIMEOUT).traceMessages(true);
    }

    @Test
    @Timeout(value = 120)
    void aRestoredCallIsByedAtItsOriginalDeadline() {
        Path work = E2eEnvironment.newWorkDir("persistence-deadline");
        int uasPort = FreePorts.udpAndTcp();
        // 18 s: the restart (its warm-up took 6 s on a busy CI box) must end well before the deadline
        SipedgeProcess first = SipedgeProcess.start(work, uasPort, "udp", config("18s"));
        SipedgeProcess second = null;
        try (SippPair pair = SippPair.start(work, "dialog-bye-timeout", "uac.xml", first.sipAddress(), uasPort,
                options(), UAC_TIMEOUT)) {
            first.awaitMetrics(Map.of(ACTIVE, (double) CALLS), Duration.ofSeconds(10));
            long answered = System.nanoTime();
            first.awaitMetrics(Map.of("sipedge_dialog_persistence_backlog", 0.0), Duration.ofSeconds(5));
            pause(Duration.ofSeconds(4));     // part of the lifetime passes before the crash
            first.kill();
            second = first.restart("sipedge-2.log");
            second.awaitMetrics(Map.of(ACTIVE, (double) CALLS, EXPIRED, 0.0), Duration.ofSeconds(2));
            second.awaitMetrics(Map.of(ACTIVE, 0.0, EXPIRED, (double) CALLS), Duration.ofSeconds(20));
            Duration lived = Duration.ofNanos(System.nanoTime() - answered);
            // 18 s from the answer; a lifetime re-armed at the restart would end them after 22 s and more
            assertTrue(lived.compareTo(Duration.ofSeconds(21)) < 0, "ended " + lived.toMillis() + " ms after the answer");
            SipedgeProcess restarted = second;
            pair.awaitEnd(UAC_TIMEOUT, Duration.ofSeconds(10)).assertAllSucceeded(CALLS, () -> restarted.logTail(30));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    @Timeout(value = 120)
    void aCallWhoseDeadlinePassedWhileDownIsByedRightAfterTheStart() {
        Path work = E2eEnvironment.newWorkDir("persistence-expired");
        int uasPort = FreePorts.udpAndTcp();
        SipedgeProcess first = SipedgeProcess.start(work, uasPort, "udp", config("3s"));
        SipedgeProcess second = null;
        try (SippPair pair = SippPair.start(work, "dialog-bye-timeout", "uac.xml", first.sipAddress(), uasPort,
                options(), UAC_TIMEOUT)) {
            first.awaitMetrics(Map.of(ACTIVE, (double) CALLS), Duration.ofSeconds(10));
            first.awaitMetrics(Map.of("sipedge_dialog_persistence_backlog", 0.0), Duration.ofSeconds(5));
            first.kill();
            pause(Duration.ofSeconds(4));     // the downtime outlasts the 3 s lifetime
            long started = System.nanoTime();
            second = first.restart("sipedge-2.log");
            second.awaitMetrics(Map.of(ACTIVE, 0.0, EXPIRED, (double) CALLS), Duration.ofSeconds(5));
            Duration after = Duration.ofNanos(System.nanoTime() - started);
            SipedgeProcess restarted = second;
            pair.awaitEnd(UAC_TIMEOUT, Duration.ofSeconds(10)).assertAllSucceeded(CALLS, () -> restarted.logTail(30));
            assertTrue(after.compareTo(Duration.ofSeconds(10)) < 0, "expired " + after.toMillis() + " ms after the start");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /** Lets wall-clock time pass (a crash's downtime cannot be simulated in another process). */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

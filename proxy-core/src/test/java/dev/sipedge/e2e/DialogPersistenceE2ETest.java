package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.dialog.store.PrivatePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dialog persistence through real processes (issue 10): calls held through the proxy
 * (scripts/sipp/dialog-hold), the proxy stopped (kill -9 with {@code realtime} and {@code delayed},
 * SIGTERM with {@code shutdown}) and started again with the same configuration, node id, SQLite file and ports.
 * The calls are back (active gauge, profile size), and every caller's BYE reaches the callee
 * through the restarted proxy and ends its dialog.
 */
@Tag("e2e")
class DialogPersistenceE2ETest {
    /** The 1,000 held calls (40 s, 200 calls/s); {@code -Dsipedge.e2e.persistence.calls=50} for a quick run. */
    private static final int CALLS = Integer.getInteger("sipedge.e2e.persistence.calls", 1000);
    private static final int RATE = Math.max(50, CALLS / 5);
    private static final int HOLD_MS = CALLS > 50 ? 40_000 : 25_000;
    private static final Duration CALL_BOUND = Duration.ofSeconds(75);
    private static final String BACKLOG = "sipedge_dialog_persistence_backlog";
    private static final String SQLITE = "jdbc:sqlite:dialogs.db";
    private static final String INBOUND = "sipedge_dialog_profile_size{profile=\"inbound\"}";

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    private static String config(String mode, String url) {
        return """
                sipedge.dialog.node-id = e2e1
                sipedge.dialog.profiles.no-value = [inbound]
                sipedge.dialog.persistence { mode = %s, url = "%s", update-period = 3s }
                sipedge.shutdown.grace = 1s
                """.formatted(mode, url) + DialogE2E.trackedRoute("track = true, profiles = [ { name = inbound } ]");
    }

    @Test
    @Timeout(value = 150)
    void realtimeCallsSurviveKillDashNine() {
        heldCallsSurvive("persistence-realtime", "realtime", SQLITE, SipedgeProcess::kill);
    }

    /**
     * The production set-up: the same run on PostgreSQL (a throwaway server of the test JVM,
     * {@link PrivatePostgres}; with {@code CI=true} a missing server fails the test).
     */
    @Test
    @Timeout(value = 150)
    void realtimeCallsSurviveKillDashNineOnPostgresql() {
        heldCallsSurvive("persistence-realtime-pg", "realtime", PrivatePostgres.freshSchema("e2e"),
                SipedgeProcess::kill);
    }

    @Test
    @Timeout(value = 150)
    void shutdownModeLosesNothingOnSigterm() {
        heldCallsSurvive("persistence-shutdown", "shutdown", SQLITE, proxy -> {
            proxy.signal("TERM");
            assertEquals(0, proxy.awaitExit(Duration.ofSeconds(20)), "exit status after SIGTERM\n" + proxy.logTail(20));
        });
    }

    /**
     * {@code delayed} writes every update-period (3 s here): a call answered more than one period
     * before the crash is in the store, so all come back; only the last period's changes can be lost.
     */
    @Test
    @Timeout(value = 150)
    void delayedModeLosesAtMostOnePeriodOnKillDashNine() {
        heldCallsSurvive("persistence-delayed", "delayed", SQLITE, SipedgeProcess::kill);
    }

    private void heldCallsSurvive(String name, String mode, String url, Consumer<SipedgeProcess> stop) {
        Path work = E2eEnvironment.newWorkDir(name);
        int uasPort = FreePorts.udpAndTcp();
        SipedgeProcess first = SipedgeProcess.start(work, uasPort, "udp", config(mode, url));
        SipedgeProcess second = null;
        try (SippPair held = SippPair.start(work.resolve("held"), "dialog-hold", "uac.xml", first.sipAddress(), uasPort,
                new SippProcess.Options().calls(CALLS).rate(RATE).holdMs(HOLD_MS).timeout(CALL_BOUND), CALL_BOUND)) {
            first.awaitMetrics(Map.of(ACTIVE, (double) CALLS, INBOUND, (double) CALLS), Duration.ofSeconds(20));
            if (!mode.equals("shutdown")) {
                // realtime: written within milliseconds; delayed: by the next period (3 s)
                first.awaitMetrics(Map.of(BACKLOG, 0.0), Duration.ofSeconds(10));
            }
            stop.accept(first);
            if (url.equals(SQLITE)) {
                assertTrue(Files.exists(work.resolve("dialogs.db")), "the SQLite file in the work dir");
            }

            second = first.restart("sipedge-2.log");
            second.awaitMetrics(Map.of(ACTIVE, (double) CALLS, INBOUND, (double) CALLS), Duration.ofSeconds(5));
            System.out.println(second.awaitLogLine("stored dialogs in", 1, Duration.ofSeconds(1)));
            second.awaitLogLine("restored " + CALLS + " of " + CALLS + " stored dialogs", 1, Duration.ofSeconds(1));

            SipedgeProcess restarted = second;
            held.awaitEnd(CALL_BOUND, Duration.ofSeconds(20))
                    .assertAllSucceeded(CALLS, () -> restarted.logTail(30));
            // realtime deletes them at once, delayed within a period; shutdown keeps the deletes for
            // its next graceful stop
            double waiting = mode.equals("shutdown") ? CALLS : 0.0;
            second.awaitMetrics(Map.of(ACTIVE, 0.0, INBOUND, 0.0, BACKLOG, waiting), Duration.ofSeconds(10));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}

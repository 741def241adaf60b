package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A proxy started under {@code nohup} inherits SIGHUP ignored, and the JVM installs no handler over
 * an ignored signal: the start says so and names the way that works, which does.
 */
@Tag("e2e")
class IgnoredSignalE2ETest {

    @Test
    @Timeout(value = 60)
    void underNohupTheStartSaysSighupDoesNothingAndTheManagementReloadStillWorks() {
        Path work = E2eEnvironment.newWorkDir("nohup");
        try (SipedgeProcess proxy = SipedgeProcess.startUnder(List.of("nohup"), work, FreePorts.udpAndTcp(), "udp",
                "sipedge.warmup.calls = 0\n")) {
            String warning = proxy.awaitLogLine("SIGHUP is ignored", 1, Duration.ofSeconds(5));
            assertTrue(warning.contains("sipedgectl reload") && warning.contains("POST /reload"), warning);

            ManagementClient.Answer reload = new ManagementClient(proxy).call("POST", "/reload", "");
            assertEquals(200, reload.status(), String.valueOf(reload.json()));
            proxy.awaitLogLine("applied", 1, Duration.ofSeconds(10));
            // Read after the reload, long after the signal handlers were set: nohup ignores SIGHUP
            // only, so SIGTERM keeps its handler and says nothing (SIGINT is not checked: a shell's
            // background job, as a test runner may be, ignores it before nohup runs)
            String log = proxy.logTail(200);
            assertFalse(log.contains("SIGTERM is ignored"), log);
        }
    }
}

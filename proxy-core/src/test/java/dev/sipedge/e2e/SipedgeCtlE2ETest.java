package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sipedgectl} (the SipedgeCtl main of the shaded jar, as scripts/sipedgectl runs it) against
 * the real process with two SIPp calls held (scripts/sipp/dialog-api-end), reading the API's
 * address from the proxy's own config file: each subcommand's output and exit status.
 */
@Tag("e2e")
class SipedgeCtlE2ETest {
    private static final int CALLS = 2;
    private static final Duration UAC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration UAS_TIMEOUT = Duration.ofSeconds(70);
    private static final Duration CTL_BOUND = Duration.ofSeconds(20);

    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    private record Ctl(int status, String out, String err) {
        String describe() {
            return "exit " + status + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    @Test
    @Timeout(value = 180)
    void everySubcommandAgainstTheLiveProxy() {
        Path work = E2eEnvironment.newWorkDir("sipedgectl");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", ManagementApiE2ETest.CONFIG);
                SippPair pair = SippPair.start(work, "dialog-api-end", "uac.xml", proxy.sipAddress(), uasPort,
                        new SippProcess.Options().calls(CALLS).timeout(UAC_TIMEOUT).traceMessages(true), UAS_TIMEOUT)) {
            ManagementClient api = new ManagementClient(proxy);
            List<String> callIds = api.await("/dialogs?state=confirmed", a -> a.json().path("count").asInt() == CALLS,
                    Duration.ofSeconds(10), CALLS + " confirmed dialogs").callIds();
            String config = proxy.configFile().toString();

            Ctl health = ctl(work, "--config", config, "health");
            assertEquals(new Ctl(0, "up\n", ""), health, health.describe());

            Ctl list = ctl(work, "--config", config, "dialogs", "list");
            assertEquals(0, list.status(), list.describe());
            assertTrue(list.out().startsWith("ID "), list.describe());
            for (String callId : callIds) {
                assertTrue(list.out().lines().anyMatch(l -> l.contains(" " + callId + " ") && l.contains("confirmed")),
                        callId + " in\n" + list.describe());
            }
            assertTrue(list.out().endsWith(CALLS + " dialogs\n"), list.describe());
            Ctl early = ctl(work, "--config", config, "dialogs", "list", "--state", "early");
            assertEquals(new Ctl(0, "ID  CALL-ID  STATE  CALLER  CALLEE  START  TIMEOUT\n0 dialogs\n", ""), early,
                    early.describe());
            Ctl one = ctl(work, "--config", config, "dialogs", "list", "--callid", callIds.get(1));
            assertTrue(one.out().endsWith("\n1 dialog\n") && one.out().contains(callIds.get(1)), one.describe());

            Ctl show = ctl(work, "--config", config, "dialogs", "show", callIds.get(0));
            assertEquals(0, show.status(), show.describe());
            assertTrue(show.out().contains("call-id:     " + callIds.get(0) + "\n"), show.describe());
            assertTrue(show.out().contains("state:       confirmed (4)\n"), show.describe());
            assertTrue(show.out().contains("profiles:    inbound, caller=sipp\n"), show.describe());
            Ctl json = ctl(work, "--config", config, "--json", "dialogs", "show", callIds.get(0));
            assertTrue(json.status() == 0 && json.out().contains("\"call-id\" : \"" + callIds.get(0) + "\""),
                    json.describe());

            Ctl profiles = ctl(work, "--config", config, "profiles", "list");
            assertEquals(0, profiles.status(), profiles.describe());
            assertTrue(profiles.out().matches("(?s)NAME\\s+WITH-VALUE\\s+SIZE\ncaller\\s+yes\\s+2\ninbound\\s+no\\s+2\n"),
                    profiles.describe());
            Ctl size = ctl(work, "--config", config, "profiles", "size", "caller", "sipp");
            assertEquals(new Ctl(0, "caller: 2\nVALUE  SIZE\nsipp   2\n", ""), size, size.describe());

            Ctl reload = ctl(work, "--config", config, "reload");
            // the proxy's own file, unchanged, reloads with nothing changed
            assertTrue(reload.status() == 0 && reload.out().startsWith("reloaded\n"), reload.describe());

            Ctl end = ctl(work, "--config", config, "dialogs", "end", callIds.get(0), "--reason", "ctl e2e");
            assertEquals(new Ctl(0, "ending 1 dialog\n", ""), end, end.describe());
            Ctl endProfile = ctl(work, "--config", config, "profiles", "end", "caller", "sipp");
            assertEquals(new Ctl(0, "ending 1 dialog\n", ""), endProfile, endProfile.describe());

            SippPair.Ended over = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(5), UAS_TIMEOUT.plusSeconds(5));
            over.assertAllSucceeded(CALLS, () -> "--- proxy log (tail):\n" + proxy.logTail(30));

            Ctl gone = ctl(work, "--config", config, "dialogs", "end", callIds.get(0));
            assertEquals(1, gone.status(), gone.describe());
            assertTrue(gone.err().contains("no live dialog") && gone.err().contains("(HTTP 404)"), gone.describe());
            assertEquals(1, ctl(work, "--config", config, "profiles", "size", "nope").status());
            Ctl usage = ctl(work, "--config", config, "dialogs", "frobnicate");
            assertEquals(2, usage.status(), usage.describe());
            assertTrue(usage.err().contains("usage: sipedgectl"), usage.describe());
        }
    }

    /** Runs SipedgeCtl from the shaded jar in {@code work} and waits for it (bounded). */
    private Ctl ctl(Path work, String... args) {
        int n = runs.incrementAndGet();
        Path out = work.resolve("ctl-" + n + ".out");
        Path err = work.resolve("ctl-" + n + ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", E2eEnvironment.proxyJar().toString(),
                "dev.sipedge.ctl.SipedgeCtl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(CTL_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                Processes.stop(p, Duration.ofSeconds(2));
                fail("sipedgectl " + String.join(" ", args) + " did not exit within " + CTL_BOUND.toSeconds() + " s");
            }
            return new Ctl(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sipedgectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sipedgectl ran", e);
        }
    }
}

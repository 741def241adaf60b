package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real process with a bad configuration: one line on stderr naming the key and its file:line,
 * no stack trace, exit status 2; and {@code --check-config} on a good file: exit 0 without
 * binding anything.
 */
@Tag("e2e")
class ConfigErrorE2ETest {

    private record Run(int exit, List<String> stdout, List<String> stderr) {
    }

    private static Run run(Path work, String... args) throws IOException, InterruptedException {
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-jar", E2eEnvironment.proxyJar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("sipedge did not exit within 30 s: " + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    private static void assertNoStackTrace(Run run) {
        for (String line : concat(run.stdout(), run.stderr())) {
            assertFalse(line.contains("Exception") || line.contains("at dev.") || line.contains("\tat "), line);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    @Timeout(value = 60)
    void aBadValueStopsTheStartWithOneLine() throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("config-error");
        Path config = work.resolve("bad.conf");
        Files.writeString(config, "sipedge {\n  listen = [\"udp:127.0.0.1:notaport\"]\n}\n");
        Run run = run(work, "--config", config.toString());
        assertEquals(2, run.exit(), "stdout: " + run.stdout() + " stderr: " + run.stderr());
        assertEquals(1, run.stderr().size(), "exactly one line on stderr: " + run.stderr());
        String line = run.stderr().get(0);
        assertTrue(line.contains("sipedge.listen[0]") && line.contains(config + ":2") && line.contains("notaport"), line);
        assertNoStackTrace(run);
    }

    @Test
    @Timeout(value = 60)
    void anUnreachableDialogDatabaseStopsTheStartWithOneLine() throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("persistence-unreachable");
        Path config = work.resolve("db.conf");
        Files.writeString(config, "sipedge {\n  listen = [\"udp:127.0.0.1:0\"]\n  metrics.listen = \"127.0.0.1:0\"\n"
                + "  management.listen = \"127.0.0.1:0\"\n"
                + "  dialog.persistence { mode = realtime, url = \"jdbc:postgresql://127.0.0.1:1/sip\" }\n}\n");
        Run run = run(work, "--config", config.toString());
        assertEquals(2, run.exit(), "stdout: " + run.stdout() + " stderr: " + run.stderr());
        assertEquals(1, run.stderr().size(), "exactly one line on stderr: " + run.stderr());
        String line = run.stderr().get(0);
        assertTrue(line.startsWith("sipedge: sipedge.dialog.persistence: ") && line.contains("127.0.0.1:1")
                && line.contains("start-without-restore"), line);
        assertNoStackTrace(run);
    }

    @Test
    @Timeout(value = 60)
    void aMisspeltKeyIsRefusedWithASuggestion() throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("config-typo");
        Path config = work.resolve("typo.conf");
        Files.writeString(config, "sipedge {\n  listen = [\"udp:127.0.0.1:0\"]\n  dialog {\n    match-mod = sip-only\n  }\n}\n");
        Run run = run(work, "--config", config.toString());
        assertEquals(2, run.exit(), "stdout: " + run.stdout() + " stderr: " + run.stderr());
        assertEquals(List.of("sipedge: bad configuration: sipedge.dialog.match-mod (" + config
                + ":4): unknown key; did you mean match-mode?"), run.stderr());
        assertNoStackTrace(run);
    }

    @Test
    @Timeout(value = 60)
    void checkConfigAcceptsAGoodFileWithoutBinding() throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("config-check");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // the ports the file names are taken: binding them would fail the start
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
             ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
            Path config = work.resolve("good.conf");
            Files.writeString(config, "sipedge {\n  listen = [\"udp:127.0.0.1:" + udp.getLocalPort() + "\", \"tcp:127.0.0.1:"
                    + tcp.getLocalPort() + "\"]\n  metrics { listen = \"127.0.0.1:" + tcp.getLocalPort() + "\" }\n"
                    + "  routes = [ { next-hop = \"sip:127.0.0.1:5070\", dialog { track = true } } ]\n"
                    + "  dialog { reinvite-ping-interval = 30s }\n}\n");
            Run run = run(work, "--config", config.toString(), "--check-config");
            assertEquals(0, run.exit(), "stdout: " + run.stdout() + " stderr: " + run.stderr());
            assertEquals(List.of("configuration OK: " + config), run.stdout());
            assertEquals(List.of(), run.stderr());
        }
        Run bad = run(work, "--config", work.resolve("missing.conf").toString(), "--check-config");
        assertEquals(2, bad.exit());
        assertEquals(1, bad.stderr().size(), bad.stderr().toString());
        Run usage = run(work, "--bogus");
        assertEquals(2, usage.exit());
        assertTrue(usage.stderr().get(0).contains("usage"), usage.stderr().toString());
    }
}

package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real jar with the shipped JSON logging configuration ({@code conf/logback-json.xml}, what
 * {@code SIPEDGE_LOG_FORMAT=json scripts/run} selects) and the SIP trace switched on
 * ({@code SIPEDGE_SIP_TRACE=TRACE}): every line it prints is one JSON object, and an OPTIONS
 * answered by the proxy shows as an "in" and an "out" trace event whose addresses are fields.
 */
@Tag("e2e")
class JsonLogsE2ETest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 60)
    void everyLineIsJsonAndTheTraceCarriesItsAddressesAsFields() throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("json-logs");
        int sipPort = FreePorts.udpAndTcp();
        int metricsPort = FreePorts.udpAndTcp();
        Path config = work.resolve("sipedge.conf");
        Files.writeString(config, "sipedge {\n"
                + "  listen = [\"udp:127.0.0.1:" + sipPort + "\"]\n"
                + "  routes = [ { next-hop = \"sip:127.0.0.1:9\" } ]\n"
                + "  metrics { listen = \"127.0.0.1:" + metricsPort + "\" }\n"
                + "  warmup { calls = 0 }\n"
                + "}\n");
        Path log = work.resolve("sipedge.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx128m",
                "-Dlogback.configurationFile=" + E2eEnvironment.repositoryRoot().resolve("conf/logback-json.xml"),
                "-jar", E2eEnvironment.proxyJar().toString(), "--config", config.toString()))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SIPEDGE_SIP_TRACE", "TRACE");
        builder.environment().remove("SIPEDGE_LOG_LEVEL");
        Process process = builder.start();
        try {
            awaitLine(process, log, "listening on");
            try (DatagramSocket uac = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                uac.setSoTimeout(5_000);
                int uacPort = uac.getLocalPort();
                byte[] options = ("OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + uacPort + ";branch=z9hG4bK-json-1;rport\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:monitor@127.0.0.1>;tag=j1\r\n"
                        + "To: <sip:127.0.0.1:" + sipPort + ">\r\n"
                        + "Call-ID: json-logs-1@127.0.0.1\r\n"
                        + "CSeq: 1 OPTIONS\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                uac.send(new DatagramPacket(options, options.length, new InetSocketAddress("127.0.0.1", sipPort)));
                DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
                try {
                    uac.receive(answer);
                } catch (SocketTimeoutException e) {
                    fail("no answer to OPTIONS within 5 s:\n" + Texts.tail(log, 20));
                }
                assertTrue(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8)
                        .startsWith("SIP/2.0 200"), "OPTIONS to the proxy is answered 200");
                String remote = "127.0.0.1:" + uacPort;
                String local = "127.0.0.1:" + sipPort;
                awaitLine(process, log, "\"direction\":\"out\"");

                List<JsonNode> lines = jsonLines(log);
                assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().contains("listening on")),
                        "the start-up line as JSON");
                assertTrace(lines, "in", local, remote, "OPTIONS sip:");
                assertTrace(lines, "out", local, remote, "SIP/2.0 200 OK");
            }
        } finally {
            Processes.stop(process, Duration.ofSeconds(10));
        }
    }

    /** Every line of the output parsed; fails on the first line that is not one JSON object. */
    private static List<JsonNode> jsonLines(Path log) {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Texts.read(log).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = json.readTree(line);
                assertTrue(node.isObject(), "not a JSON object: " + line);
                assertTrue(node.has("@timestamp") && node.has("level") && node.has("logger_name"), line);
                out.add(node);
            } catch (IOException e) {
                fail("a log line that is not JSON: " + line);
            }
        }
        return out;
    }

    private static void assertTrace(List<JsonNode> lines, String direction, String local, String remote,
                                    String startLine) {
        for (JsonNode line : lines) {
            if ("sipedge.sip.trace".equals(line.path("logger_name").asText())
                    && direction.equals(line.path("direction").asText())) {
                assertEquals("udp", line.path("transport").asText(), line.toString());
                assertEquals(local, line.path("local").asText(), line.toString());
                assertEquals(remote, line.path("remote").asText(), line.toString());
                String message = line.path("message").asText();
                assertTrue(message.substring(message.indexOf('\n') + 1).startsWith(startLine), message);
                return;
            }
        }
        fail("no '" + direction + "' trace event among " + lines);
    }

    /** Waits (bounded) until the output contains {@code mark}; the process writes it once. */
    private static void awaitLine(Process process, Path log, String mark) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Texts.read(log).contains(mark)) {
                return;
            }
            if (!process.isAlive()) {
                fail("the proxy exited with status " + process.exitValue() + ":\n" + Texts.tail(log, 40));
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);   // poll the file: nothing to wait on
        }
        fail("no '" + mark + "' in the output within " + START_TIMEOUT.toSeconds() + " s:\n" + Texts.tail(log, 40));
    }
}

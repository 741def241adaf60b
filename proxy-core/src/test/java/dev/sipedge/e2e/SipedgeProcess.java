package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The proxy under test: {@code java -jar sipedge.jar --config FILE} as a child process, with a
 * configuration generated from {@code e2e/sipedge-e2e.conf} (free ports, one route to the SIPp
 * UAS). {@link #start} returns once the proxy has logged {@code listening on}; {@link #close}
 * stops it (SIGTERM, then SIGKILL) through its own {@link Process} handle.
 */
final class SipedgeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String READY_MARK = "listening on";

    private final Process process;
    private final Path log;
    private final int sipPort;
    private final int metricsPort;

    private SipedgeProcess(Process process, Path log, int sipPort, int metricsPort) {
        this.process = process;
        this.log = log;
        this.sipPort = sipPort;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts a proxy in {@code workDir} whose only route sends every request to the UAS at
     * 127.0.0.1:{@code uasPort} over {@code uasTransport} ("udp" or "tcp").
     */
    static SipedgeProcess start(Path workDir, int uasPort, String uasTransport) {
        int sipPort = FreePorts.udpAndTcp();
        int metricsPort = FreePorts.udpAndTcp();
        Path config = workDir.resolve("sipedge.conf");
        Path log = workDir.resolve("sipedge.log");
        try {
            String text = template()
                    .replace("@SIP_PORT@", Integer.toString(sipPort))
                    .replace("@UAS_PORT@", Integer.toString(uasPort))
                    .replace("@UAS_TRANSPORT@", uasTransport)
                    .replace("@METRICS_PORT@", Integer.toString(metricsPort));
            Files.writeString(config, text);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-jar", E2eEnvironment.proxyJar().toString(), "--config", config.toString()))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            SipedgeProcess proxy = new SipedgeProcess(process, log, sipPort, metricsPort);
            proxy.awaitListening();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the proxy in " + workDir, e);
        }
    }

    int sipPort() {
        return sipPort;
    }

    int metricsPort() {
        return metricsPort;
    }

    /** "127.0.0.1:port", the SIPp remote address. */
    String sipAddress() {
        return "127.0.0.1:" + sipPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last {@code lines} lines of the proxy's output, for failure messages. */
    String logTail(int lines) {
        return Texts.tail(log, lines);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Texts.read(log).contains(READY_MARK)) {
                return;
            }
            if (!process.isAlive()) {
                fail("the proxy exited with status " + process.exitValue() + " before listening:\n" + logTail(40));
            }
            try {
                // poll the log file; the proxy writes the mark once, so there is nothing to wait on
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        fail("the proxy did not log '" + READY_MARK + "' within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail(40));
    }

    @Override
    public void close() {
        Processes.stop(process, STOP_TIMEOUT);
    }

    private static String template() throws IOException {
        try (InputStream in = SipedgeProcess.class.getResourceAsStream("/e2e/sipedge-e2e.conf")) {
            if (in == null) {
                throw new IOException("test resource /e2e/sipedge-e2e.conf missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

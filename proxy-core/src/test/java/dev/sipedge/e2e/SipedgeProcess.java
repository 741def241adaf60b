package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    private static final HttpClient METRICS_CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int sipPort;
    private final int metricsPort;
    private final int managementPort;
    /** The configuration file the proxy was started with, and its placeholder values. */
    private final Path config;
    private final Map<String, String> placeholders;

    private SipedgeProcess(Process process, Path log, int sipPort, int metricsPort, int managementPort, Path config,
                           Map<String, String> placeholders) {
        this.process = process;
        this.log = log;
        this.sipPort = sipPort;
        this.metricsPort = metricsPort;
        this.managementPort = managementPort;
        this.config = config;
        this.placeholders = placeholders;
    }

    /**
     * Starts a proxy in {@code workDir} whose only route sends every request to the UAS at
     * 127.0.0.1:{@code uasPort} over {@code uasTransport} ("udp" or "tcp").
     */
    static SipedgeProcess start(Path workDir, int uasPort, String uasTransport) {
        return start(workDir, uasPort, uasTransport, "");
    }

    /**
     * As {@link #start(Path, int, String)}, with {@code extraConfig} (HOCON, the same
     * {@code @...@} placeholders) appended to the template: it overrides what the template sets,
     * e.g. {@code sipedge.routes = [...]} replaces the route list, {@code sipedge.dialog { ... }}
     * merges into the defaults.
     */
    static SipedgeProcess start(Path workDir, int uasPort, String uasTransport, String extraConfig) {
        return startUnder(List.of(), workDir, uasPort, uasTransport, extraConfig);
    }

    /**
     * As {@link #start(Path, int, String, String)}, with the java command run by {@code wrapper}
     * (e.g. {@code nohup}, which execs it: the pid stays the proxy's).
     */
    static SipedgeProcess startUnder(List<String> wrapper, Path workDir, int uasPort, String uasTransport,
                                     String extraConfig) {
        int sipPort = FreePorts.udpAndTcp();
        int metricsPort = FreePorts.udpAndTcp();
        int managementPort = FreePorts.udpAndTcp();
        Path config = workDir.resolve("sipedge.conf");
        Path log = workDir.resolve("sipedge.log");
        Map<String, String> placeholders = Map.of("@SIP_PORT@", Integer.toString(sipPort),
                "@UAS_PORT@", Integer.toString(uasPort), "@UAS_TRANSPORT@", uasTransport,
                "@METRICS_PORT@", Integer.toString(metricsPort), "@MANAGEMENT_PORT@", Integer.toString(managementPort));
        try {
            Files.writeString(config, fill(template() + "\n" + extraConfig + "\n", placeholders));
            return launch(wrapper, workDir, log, sipPort, metricsPort, managementPort, config, placeholders);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the proxy in " + workDir, e);
        }
    }

    private static SipedgeProcess launch(List<String> wrapper, Path workDir, Path log, int sipPort, int metricsPort,
                                         int managementPort, Path config, Map<String, String> placeholders)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(wrapper);
        // -Ddev.sipedge.relay.check: a relayed message whose edited bytes say other than its encoding fails the call
        command.addAll(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-Ddev.sipedge.relay.check=true",
                "-jar", E2eEnvironment.proxyJar().toString(), "--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SipedgeProcess proxy = new SipedgeProcess(process, log, sipPort, metricsPort, managementPort, config,
                placeholders);
        proxy.awaitListening();
        return proxy;
    }

    /** {@code kill -9}, as a crash: no drain, nothing flushed. Waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("the proxy (pid " + process.pid() + ") survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the proxy", e);
        }
    }

    /**
     * Starts the proxy again, after it was killed or exited, with the same configuration file and
     * ports, in the same work dir; its log goes to {@code logName} there. It runs the java command
     * directly, not under a wrapper the first start may have had: no restart test needs one.
     */
    SipedgeProcess restart(String logName) {
        return restart(logName, "");
    }

    /**
     * As {@link #restart(String)}, with {@code appendedConfig} (HOCON, the same placeholders)
     * appended to the configuration file first, as an operator edits the file between runs: what it
     * sets overrides the first run's values.
     */
    SipedgeProcess restart(String logName, String appendedConfig) {
        if (process.isAlive()) {
            fail("restart: the proxy (pid " + process.pid() + ") still runs");
        }
        try {
            if (!appendedConfig.isEmpty()) {
                Files.writeString(config, "\n" + fill(appendedConfig, placeholders) + "\n", StandardOpenOption.APPEND);
            }
            return launch(List.of(), config.getParent(), config.getParent().resolve(logName), sipPort, metricsPort,
                    managementPort, config, placeholders);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the proxy", e);
        }
    }

    private static String fill(String text, Map<String, String> placeholders) {
        String out = text;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace(p.getKey(), p.getValue());
        }
        return out;
    }

    /**
     * Rewrites the configuration file the proxy runs with: the template with {@code extraConfig},
     * the same ports; as an operator edits the file before a reload.
     */
    void rewriteConfig(String extraConfig) {
        writeConfig(uncheckedTemplate() + "\n" + extraConfig + "\n");
    }

    /** Replaces the configuration file with {@code text} as it is (placeholders filled in). */
    void writeConfig(String text) {
        try {
            Files.writeString(config, fill(text, placeholders));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    /** Sends {@code signal} ("HUP", "TERM", ...) to the proxy, by its pid, with {@code kill -s}. */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                fail("kill -s " + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the proxy", e);
        }
    }

    /** Waits up to {@code bound} for the proxy to exit by itself; its exit status, or the test fails. */
    int awaitExit(Duration bound) {
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the proxy did not exit within " + bound.toMillis() + " ms\n--- proxy log (tail):\n" + logTail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the proxy to exit", e);
        }
        return process.exitValue();
    }

    /**
     * Waits until the proxy's log holds {@code count} lines containing {@code text}; returns the
     * last of them. Fails after {@code bound}, or if the proxy exits first.
     */
    String awaitLogLine(String text, int count, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<String> lines = Texts.read(log).lines().filter(l -> l.contains(text)).collect(Collectors.toList());
            if (lines.size() >= count) {
                return lines.get(count - 1);
            }
            if (System.nanoTime() >= deadline || !process.isAlive()) {
                fail("within " + bound.toMillis() + " ms the proxy logged " + lines.size() + " lines with '" + text
                        + "', not " + count + (process.isAlive() ? "" : " (the proxy exited)")
                        + "\n--- proxy log (tail):\n" + logTail(20));
            }
            try {
                // poll the log file; there is nothing to wait on
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the proxy's log", e);
            }
        }
    }

    int sipPort() {
        return sipPort;
    }

    int metricsPort() {
        return metricsPort;
    }

    /** The management API's port (HTTP on 127.0.0.1). */
    int managementPort() {
        return managementPort;
    }

    /** The configuration file the proxy was started with (sipedgectl reads the API's address from it). */
    Path configFile() {
        return config;
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

    /** One GET of the proxy's Prometheus endpoint ({@code /metrics} on the metrics port). */
    Metrics scrapeMetrics() {
        try {
            HttpResponse<String> response = METRICS_CLIENT.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                fail("GET /metrics answered " + response.statusCode() + ": " + response.body());
            }
            return new Metrics(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /metrics on port " + metricsPort + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping /metrics", e);
        }
    }

    /**
     * Scrapes {@code /metrics} every 100 ms until every series of {@code expected} has its value
     * (all in the same scrape), and returns that scrape; fails the test after {@code bound} with
     * the expected and the last seen values.
     */
    Metrics awaitMetrics(Map<String, Double> expected, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        Metrics last = null;
        while (true) {
            last = scrapeMetrics();
            if (last.matches(expected)) {
                return last;
            }
            if (System.nanoTime() >= deadline || !process.isAlive()) {
                break;
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("within " + bound.toMillis() + " ms /metrics did not show " + expected + "; last seen "
                + last.values(expected.keySet()) + (process.isAlive() ? "" : " (the proxy died)")
                + "\n" + last.lines("sipedge_dialog") + "\n--- proxy log (tail):\n" + logTail(20));
        return last; // not reached
    }

    /**
     * One scrape in the Prometheus text format. A series is named as in the text, {@code name} or
     * {@code name{label="value",...}}; labels compare as a set, so order and trailing commas do
     * not matter.
     */
    record Metrics(String text) {
        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)\\})?\\s+(\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        /** The value of {@code series}, NaN when the scrape has no such sample. */
        double value(String series) {
            Matcher wanted = SAMPLE.matcher(series + " 0");
            if (!wanted.find()) {
                throw new IllegalArgumentException("not a series name: " + series);
            }
            Map<String, String> wantedLabels = labels(wanted.group(2));
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.find() && m.group(1).equals(wanted.group(1)) && labels(m.group(2)).equals(wantedLabels)) {
                    try {
                        return Double.parseDouble(m.group(3));
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
            return Double.NaN;
        }

        boolean matches(Map<String, Double> expected) {
            return expected.entrySet().stream().allMatch(e -> Double.compare(value(e.getKey()), e.getValue()) == 0);
        }

        /** series=value for each of {@code series}, for messages. */
        Map<String, Double> values(Collection<String> series) {
            Map<String, Double> out = new TreeMap<>();
            series.forEach(s -> out.put(s, value(s)));
            return out;
        }

        /** The sample lines whose name starts with {@code prefix}, for messages. */
        String lines(String prefix) {
            return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
        }

        private static Map<String, String> labels(String text) {
            Map<String, String> out = new TreeMap<>();
            if (text != null) {
                Matcher m = LABEL.matcher(text);
                while (m.find()) {
                    out.put(m.group(1), m.group(2));
                }
            }
            return out;
        }
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

    private static String uncheckedTemplate() {
        try {
            return template();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

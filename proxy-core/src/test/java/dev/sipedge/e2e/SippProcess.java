package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp instance run as a child process in the foreground ({@code -nostdin}), bounded by
 * {@code -m} and {@code -timeout ... -timeout_error}, writing its statistics
 * ({@code stat.csv}), errors ({@code errors.log}), optionally every message
 * ({@code messages.log}) and its screen ({@code screen.log}) into its own directory.
 */
final class SippProcess implements AutoCloseable {

    /** The side a scenario plays. */
    enum Role { UAC, UAS }

    /** Command-line settings of one run; UAC-only settings are ignored for a UAS. */
    static final class Options {
        String transport = "u1";
        int calls = 1;
        int rate = 10;
        int holdMs = 100;
        int uasTimeWaitMs = 4000;
        int lostPercent = 0;
        Duration timeout = Duration.ofSeconds(60);
        boolean traceMessages = false;
        String service = null;

        Options transport(String sippTransport) {
            this.transport = sippTransport;
            return this;
        }

        Options calls(int count) {
            this.calls = count;
            return this;
        }

        Options rate(int callsPerSecond) {
            this.rate = callsPerSecond;
            return this;
        }

        Options holdMs(int millis) {
            this.holdMs = millis;
            return this;
        }

        /** The UAS's time-wait after the call (sipp -d for scenarios whose UAS ends with a bare timewait). */
        Options uasTimeWaitMs(int millis) {
            this.uasTimeWaitMs = millis;
            return this;
        }

        Options lostPercent(int percent) {
            this.lostPercent = percent;
            return this;
        }

        Options timeout(Duration bound) {
            this.timeout = bound;
            return this;
        }

        Options traceMessages(boolean on) {
            this.traceMessages = on;
            return this;
        }

        /** The scenario's [service] (sipp -s); SIPp's default "service" when unset. */
        Options service(String name) {
            this.service = name;
            return this;
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final Role role;
    private final Process process;
    private final Path dir;
    private final int port;

    private SippProcess(Role role, Process process, Path dir, int port) {
        this.role = role;
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a UAS of {@code scenario/uas.xml} on 127.0.0.1:{@code port}; returns once it is bound. */
    static SippProcess startUas(Path workDir, Path scenario, int port, Options options) {
        SippProcess uas = start(Role.UAS, workDir.resolve("uas"), scenario.resolve("uas.xml"), null, port, options);
        uas.awaitBound(options.transport);
        return uas;
    }

    /** Starts a UAC of {@code scenario/uac.xml} on 127.0.0.1:{@code port}, sending to {@code remote}. */
    static SippProcess startUac(Path workDir, Path scenario, String remote, int port, Options options) {
        return startUac(workDir, scenario, "uac.xml", remote, port, options);
    }

    /** As {@link #startUac(Path, Path, String, int, Options)}, playing {@code scenario/xmlFile}. */
    static SippProcess startUac(Path workDir, Path scenario, String xmlFile, String remote, int port, Options options) {
        return start(Role.UAC, workDir.resolve("uac"), scenario.resolve(xmlFile), remote, port, options);
    }

    private static SippProcess start(Role role, Path dir, Path xml, String remote, int port, Options o) {
        List<String> cmd = new ArrayList<>(List.of(E2eEnvironment.sippCommand(), "-sf", xml.toString()));
        if (remote != null) {
            cmd.add(remote);
        }
        cmd.addAll(List.of("-i", "127.0.0.1", "-p", Integer.toString(port), "-t", o.transport,
                "-m", Integer.toString(o.calls), "-nostdin",
                "-cp", Integer.toString(FreePorts.udpAndTcp()),
                "-trace_stat", "-stf", "stat.csv", "-fd", "1",
                "-trace_err", "-error_file", "errors.log",
                "-timeout", o.timeout.toSeconds() + "s", "-timeout_error"));
        if (role == Role.UAC) {
            cmd.addAll(List.of("-r", Integer.toString(o.rate), "-rp", "1000"));
        }
        // the UAC's <pause/> (call hold) or the UAS's bare <timewait/>
        cmd.addAll(List.of("-d", Integer.toString(role == Role.UAC ? o.holdMs : o.uasTimeWaitMs)));
        if (o.lostPercent > 0) {
            cmd.addAll(List.of("-lost", Integer.toString(o.lostPercent)));
        }
        if (o.service != null) {
            cmd.addAll(List.of("-s", o.service));
        }
        if (o.traceMessages) {
            cmd.addAll(List.of("-trace_msg", "-message_file", "messages.log"));
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
            Process process = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("screen.log").toFile())
                    .start();
            return new SippProcess(role, process, dir, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sipp " + role + " in " + dir, e);
        }
    }

    private void awaitBound(String transport) {
        boolean tcp = transport.startsWith("t");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean bound = tcp ? !FreePorts.tcpListenerAbsent(port) : !FreePorts.udpFree(port);
            if (bound) {
                return;
            }
            if (!process.isAlive()) {
                fail("sipp " + role + " exited with status " + process.exitValue() + " before binding "
                        + port + ":\n" + Texts.tail(dir.resolve("screen.log"), 20));
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        fail("sipp " + role + " did not bind 127.0.0.1:" + port + " within " + READY_TIMEOUT.toSeconds() + " s");
    }

    /**
     * Waits for SIPp to exit by itself (it does after {@code -m} calls, or at {@code -timeout});
     * after {@code bound} it is stopped. Either way the result reflects what SIPp wrote.
     */
    SippResult awaitExit(Duration bound) {
        boolean exited;
        try {
            exited = process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            close();
        }
        Integer status = exited ? process.exitValue() : null;
        return SippResult.read(role, status, dir);
    }

    Path directory() {
        return dir;
    }

    @Override
    public void close() {
        Processes.stop(process, STOP_GRACE);
    }
}

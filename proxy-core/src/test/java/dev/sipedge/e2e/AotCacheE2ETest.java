package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/aot-cache} makes the start-up cache for the java it is given and {@code scripts/run}
 * starts the proxy with it: with a JDK 25 or later an AOT cache, with the JDK the tests run on
 * (13 to 24) a class-data sharing archive. The JVM says it opened that cache, and with the option
 * that forbids a start without a usable one ({@code -XX:AOTMode=on}, {@code -Xshare:on}) the proxy
 * reaches "listening". The AOT case is skipped where no JDK 25 is installed ({@code SIPEDGE_JAVA},
 * or one under /usr/lib/jvm), as the SIPp tests are without SIPp.
 */
@Tag("e2e")
class AotCacheE2ETest {
    private static final String JAVA_OPTS = "-XX:+UseParallelGC -Xmx256m";

    @Test
    @Timeout(value = 150)
    void theRunScriptStartsTheProxyFromTheCacheTheCacheScriptMade() throws IOException, InterruptedException {
        Path java = jdk25().orElse(null);
        Assumptions.assumeTrue(java != null, "no JDK 25 or later (SIPEDGE_JAVA or /usr/lib/jvm)");
        trainThenRun(java, "sipedge.aot", " -XX:AOTMode=on -Xlog:aot=info", "Opened AOT cache ");
    }

    @Test
    @Timeout(value = 150)
    void beforeJdk25TheRunScriptStartsTheProxyFromTheClassDataArchiveTheCacheScriptMade()
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int major = major(java);
        Assumptions.assumeTrue(major >= 13 && major < 25, "the tests' JDK is " + major + ", not 13 to 24");
        // a dynamic archive extends the JDK's own (Debian's and Temurin's JDKs ship it)
        Assumptions.assumeTrue(Files.exists(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")),
                "the tests' JDK has no default class-data archive");
        trainThenRun(java, "sipedge.jsa", " -Xshare:on -Xlog:cds=info", "Opened archive ");
    }

    /** Trains a cache with {@code java}, starts the proxy from it and expects {@code opened} + its path in the log. */
    private static void trainThenRun(Path java, String cacheName, String runOpts, String opened)
            throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("aot-cache");
        int sipPort = FreePorts.udpAndTcp();
        Path config = work.resolve("sipedge.conf");
        Files.writeString(config, "sipedge {\n"
                + "  listen = [\"udp:127.0.0.1:" + sipPort + "\"]\n"
                + "  routes = [ { next-hop = \"sip:127.0.0.1:9\" } ]\n"
                + "  metrics { listen = \"127.0.0.1:" + FreePorts.udpAndTcp() + "\" }\n"
                + "  management { listen = \"127.0.0.1:" + FreePorts.udpAndTcp() + "\" }\n"
                + "  warmup { calls = 200 }\n"
                + "}\n");
        Path cache = work.resolve(cacheName);
        Map<String, String> env = Map.of("SIPEDGE_JAVA", java.toString(), "SIPEDGE_AOT_CACHE", cache.toString());

        Path trainLog = work.resolve("aot-cache.log");
        Process train = script(List.of("scripts/aot-cache", "--config", config.toString()), env, JAVA_OPTS, trainLog);
        assertTrue(train.waitFor(120, TimeUnit.SECONDS), "scripts/aot-cache within 120 s");
        assertEquals(0, train.exitValue(), Texts.tail(trainLog, 20));
        assertTrue(Files.size(cache) > 0, "a cache was written");

        Path runLog = work.resolve("run.log");
        Process run = script(List.of("scripts/run", "--config", config.toString()), env, JAVA_OPTS + runOpts, runLog);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(runLog).contains("listening on")) {
                if (!run.isAlive() || System.nanoTime() > deadline) {
                    fail("scripts/run with the cache did not reach listening:\n" + Texts.tail(runLog, 20));
                }
                Thread.sleep(100);
            }
            assertTrue(Files.readString(runLog).contains(opened + cache), Texts.tail(runLog, 20));
        } finally {
            run.destroy();
            if (!run.waitFor(20, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
    }

    private static Process script(List<String> command, Map<String, String> env, String javaOpts, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(E2eEnvironment.repositoryRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("JAVA_OPTS", javaOpts);
        return builder.start();
    }

    /** A java of release 25 or later: SIPEDGE_JAVA if it is one, else the newest under /usr/lib/jvm. */
    private static Optional<Path> jdk25() throws IOException {
        String configured = System.getenv("SIPEDGE_JAVA");
        if (configured != null && major(Path.of(configured)) >= 25) {
            return Optional.of(Path.of(configured));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.map(d -> d.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(j -> major(j) >= 25).max(Comparator.comparingInt(AotCacheE2ETest::major));
        }
    }

    private static int major(Path java) {
        try {
            Process p = new ProcessBuilder(E2eEnvironment.repositoryRoot().resolve("scripts/java-major").toString(),
                    java.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && out.matches("\\d+") ? Integer.parseInt(out) : 0;
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }
}

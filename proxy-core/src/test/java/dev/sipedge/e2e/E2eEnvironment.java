package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the end-to-end tests find what they run: the shaded proxy jar (system property
 * {@code sipedge.jar}, set by failsafe), the SIPp scenarios under {@code scripts/sipp/} of the
 * repository ({@code sipedge.root}), the {@code sipp} binary, and a fresh work directory per run
 * under {@code proxy-core/target/e2e/}.
 *
 * <p>SIPp missing: with {@code CI=true} the test fails (CI must run them), otherwise it is skipped
 * with a message saying how to install it. System property {@code sipedge.sipp} names another
 * SIPp binary (default {@code sipp} on the PATH).
 */
final class E2eEnvironment {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss-SSS");

    private E2eEnvironment() {
    }

    /** The proxy jar; fails the test when it was not built. */
    static Path proxyJar() {
        String property = System.getProperty("sipedge.jar");
        Path jar = property != null ? Path.of(property) : repositoryRoot().resolve("proxy-core/target/sipedge.jar");
        if (!Files.isRegularFile(jar)) {
            fail("proxy jar not found: " + jar + " (build it with mvn -DskipTests package)");
        }
        return jar.toAbsolutePath();
    }

    /** {@code scripts/sipp/<name>} (a directory with uac.xml and uas.xml). */
    static Path scenario(String name) {
        Path dir = repositoryRoot().resolve("scripts/sipp").resolve(name);
        if (!Files.isRegularFile(dir.resolve("uac.xml")) || !Files.isRegularFile(dir.resolve("uas.xml"))) {
            fail("SIPp scenario missing: " + dir);
        }
        return dir;
    }

    /** The SIPp command: system property {@code sipedge.sipp}, else {@code sipp} from the PATH. */
    static String sippCommand() {
        return System.getProperty("sipedge.sipp", "sipp");
    }

    /** Skips (or, on CI, fails) the calling test when SIPp cannot be run. */
    static void requireSipp() {
        String problem = sippProblem();
        if (problem == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and " + problem + ": the SIPp end-to-end tests cannot run");
        }
        Assumptions.abort(problem + ": SIPp end-to-end test skipped (apt-get install sip-tester)");
    }

    /** A new empty directory for one test's logs, SIPp files and proxy config. */
    static Path newWorkDir(String name) {
        Path base = proxyJarDirectory().resolve("e2e");
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-" + LocalDateTime.now().format(STAMP) + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a work directory under " + base, e);
        }
    }

    private static Path proxyJarDirectory() {
        String property = System.getProperty("sipedge.jar");
        return property != null ? Path.of(property).toAbsolutePath().getParent() : repositoryRoot().resolve("proxy-core/target");
    }

    /**
     * The repository root: {@code sipedge.root} (set by failsafe), else the module's parent (Maven
     * runs a module's tests in its own folder). Never a walk up the tree, which could find a
     * checkout outside this one.
     */
    static Path repositoryRoot() {
        String property = System.getProperty("sipedge.root");
        Path moduleDir = Path.of("").toAbsolutePath();
        Path root = property != null ? Path.of(property).toAbsolutePath() : moduleDir.getParent();
        if (root == null || !Files.isDirectory(root.resolve("scripts/sipp"))) {
            fail("cannot find the repository root: no scripts/sipp in " + root + " (sipedge.root=" + property
                    + ", working directory " + moduleDir + ")");
        }
        return root;
    }

    /** Null when {@code sipp -v} runs, else what is wrong. */
    private static String sippProblem() {
        try {
            Process probe = new ProcessBuilder(sippCommand(), "-v").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return "sipp -v did not finish within 10 s";
            }
            return null;
        } catch (IOException e) {
            return "sipp (" + sippCommand() + ") not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing sipp";
        }
    }
}

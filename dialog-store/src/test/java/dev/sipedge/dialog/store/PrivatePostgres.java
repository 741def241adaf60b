package dev.sipedge.dialog.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for the tests, started from Debian's {@code postgresql} binaries
 * ({@code /usr/lib/postgresql/N/bin}) in a temporary folder on a free loopback port, once per test
 * JVM, and stopped when the JVM ends. {@code SIPEDGE_TEST_PG_URL} points the tests at a server
 * of one's own instead. Without either: a failure when {@code CI=true}, a skip elsewhere.
 */
public final class PrivatePostgres {
    private static final String USER = "sipedge";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String url;

    private PrivatePostgres() {
    }

    /** The JDBC URL of the test database on the test server. */
    static synchronized String url() {
        String given = System.getenv("SIPEDGE_TEST_PG_URL");
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (url == null) {
            url = start();
        }
        return url;
    }

    /**
     * The JDBC URL of a new, empty schema in the test database ({@code currentSchema}), so that no
     * two tests (or test JVMs) see each other's rows. Used by proxy-core's end-to-end tests too.
     */
    public static String freshSchema(String prefix) {
        String base = url();
        String schema = prefix + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("cannot create schema " + schema + " on the test PostgreSQL: " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String start() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path data = Files.createTempDirectory("sipedge-pg-");
            if (root) {
                // initdb refuses to run as root: the cluster belongs to the package's postgres user.
                run(List.of("chown", "-R", "postgres:postgres", data.toString()), false);
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", data.resolve("db").toString(), "-A", "trust",
                    "-U", USER, "-E", "UTF8", "--no-sync"), root);
            int port = freePort();
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(), "-l",
                    data.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -h 127.0.0.1 -k " + data + " -F", "start"), root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data, root), "sipedge-test-postgres-stop"));
            run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                    "sipedge_test"), root);
            return "jdbc:postgresql://127.0.0.1:" + port + "/sipedge_test?user=" + USER;
        } catch (IOException e) {
            throw new AssertionError("cannot start the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static void stop(Path bin, Path data, boolean root) {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("db").toString(), "-m", "immediate",
                    "-w", "-t", "30", "stop"), root);
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | AssertionError e) {
            System.err.println("test PostgreSQL in " + data + " not stopped cleanly: " + e.getMessage());
        }
    }

    /** The newest installed {@code /usr/lib/postgresql/N/bin}. */
    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(base)) {
                for (Path v : versions) {
                    if (Files.isExecutable(v.resolve("bin/initdb"))) {
                        found.add(v.resolve("bin"));
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot list " + base, e);
            }
        }
        if (found.isEmpty()) {
            String why = "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin "
                    + "(apt-get install postgresql, or set SIPEDGE_TEST_PG_URL)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why + "; CI fails here");
        }
        found.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        return found.get(found.size() - 1);
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile("sipedge-pg-cmd-", ".log");
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", full));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", full), e);
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        if (p.exitValue() != 0) {
            throw new AssertionError("exit " + p.exitValue() + ": " + String.join(" ", full) + "\n" + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

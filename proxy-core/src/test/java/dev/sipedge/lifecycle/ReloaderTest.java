package dev.sipedge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.management.ReloadOutcome;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.proxy.routing.Routes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reload applies, what it reports as needing a restart, and what it refuses. */
class ReloaderTest {
    /** A file as an operator writes it; {@code %s} is the route's next hop, then extra lines. */
    private static final String FILE = """
            sipedge {
              listen = ["udp:127.0.0.1:5999"]
              workers = 1
              warmup { calls = 0 }
              dialog { profiles { with-value = [caller] } }
              routes = [
                { match { methods = [INVITE] }, next-hop = "%s",
                  dialog { track = true, profiles = [ { name = caller, value = "${from.user}", max = 2 } ] } }
              ]
              %s
            }
            """;

    @TempDir
    Path dir;
    private Path file;
    private Routes routes;
    private Reloader reloader;

    @BeforeEach
    void start() throws IOException {
        file = dir.resolve("sipedge.conf");
        write("sip:127.0.0.1:7001", "");
        ConfigSource source = ConfigSource.file(file.toFile());
        Config started = source.read();
        ProxySettings settings = ProxySettings.from(started);
        DialogModule dialogs = new DialogModule(settings.dialog(), new SimpleMeterRegistry());
        routes = new Routes(RouteTable.build(settings.routes(), dialogs));
        reloader = new Reloader(source, ProxySettings::from, dialogs, routes, started, settings);
    }

    private void write(String nextHop, String extra) throws IOException {
        Files.writeString(file, FILE.formatted(nextHop, extra));
    }

    private String nextHop() {
        RouteTable table = routes.current();
        RouteRule rule = table.router().rules().get(0);
        return table.nextHopsOf(rule).get(0).toString();
    }

    @Test
    void anUnchangedFileChangesNothing() {
        RouteTable before = routes.current();

        assertEquals(new ReloadOutcome.Applied(List.of(), List.of()), reloader.reload());
        assertSame(before, routes.current());
    }

    @Test
    void newRoutesReplaceTheTableInOneSwap() throws IOException {
        RouteTable before = routes.current();
        write("sip:127.0.0.1:7002", "");

        assertEquals(new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of()), reloader.reload());

        assertEquals("sip:127.0.0.1:7002", nextHop());
        assertEquals("sip:127.0.0.1:7001", before.nextHopsOf(before.router().rules().get(0)).get(0).toString(),
                "the old table is untouched: requests holding it keep their hop");
    }

    @Test
    void aProfileCapIsReloadedWithItsRoute() throws IOException {
        Files.writeString(file, Files.readString(file).replace("max = 2", "max = 9"));

        assertEquals(new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of()), reloader.reload());

        assertEquals(9, routes.current().router().rules().get(0).dialog().profiles().get(0).max());
    }

    @Test
    void keysThatNeedARestartAreReportedNotApplied() throws IOException {
        RouteTable before = routes.current();
        write("sip:127.0.0.1:7001", """
                listen = ["udp:127.0.0.1:5998"]
                workers = 2
                transaction { t1 = 400ms }
                dialog { match-mode = sip-only }
                metrics { listen = "127.0.0.1:9999" }
                """);

        ReloadOutcome outcome = reloader.reload();

        assertEquals(new ReloadOutcome.Applied(List.of(), List.of("sipedge.dialog.match-mode", "sipedge.listen",
                "sipedge.metrics.listen", "sipedge.transaction.t1", "sipedge.workers")), outcome);
        assertSame(before, routes.current());
    }

    @Test
    void aKeyThatNeedsARestartIsReportedAgainUntilTheRestart() throws IOException {
        write("sip:127.0.0.1:7002", "workers = 2");
        assertEquals(new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of("sipedge.workers")), reloader.reload());

        assertEquals(new ReloadOutcome.Applied(List.of(), List.of("sipedge.workers")), reloader.reload(),
                "the routes are in force now; the workers still wait for a restart");
    }

    @Test
    void aNewProfileDeclarationNeedsARestart() throws IOException {
        Files.writeString(file, Files.readString(file).replace("with-value = [caller]", "with-value = [caller, callee]"));

        assertEquals(new ReloadOutcome.Applied(List.of(), List.of("sipedge.dialog.profiles.with-value")),
                reloader.reload());
    }

    @Test
    void theShutdownGraceIsReloadable() throws IOException {
        assertEquals(Duration.ofSeconds(30), reloader.shutdownGrace(), "reference.conf's default");
        write("sip:127.0.0.1:7001", "shutdown { grace = 5s }");

        assertEquals(new ReloadOutcome.Applied(List.of("sipedge.shutdown.grace"), List.of()), reloader.reload());
        assertEquals(Duration.ofSeconds(5), reloader.shutdownGrace());
    }

    @Test
    void systemPropertiesStillOverrideTheFile() throws IOException {
        write("sip:127.0.0.1:7001", "shutdown { grace = 5s }");
        System.setProperty("sipedge.shutdown.grace", "7s");
        try {
            reloader.reload();
        } finally {
            System.clearProperty("sipedge.shutdown.grace");
        }
        assertEquals(Duration.ofSeconds(7), reloader.shutdownGrace());
    }

    @Test
    void aFileThatDoesNotParseIsRefusedAndTheRunningTableStays() throws IOException {
        RouteTable before = routes.current();
        Files.writeString(file, "sipedge { routes = [ { next-hop = \"sip:127.0.0.1:7002\" }\n");

        ReloadOutcome.Refused refused = assertInstanceOf(ReloadOutcome.Refused.class, reloader.reload());

        assertFalse(refused.error().contains("\n"), refused.error());
        assertTrue(refused.error().contains("sipedge.conf"), "names the file: " + refused.error());
        assertSame(before, routes.current());
    }

    @Test
    void aBadValueIsRefused() throws IOException {
        RouteTable before = routes.current();
        write("sip:127.0.0.1:7002", "listen = [\"udp:127.0.0.1:notaport\"]");

        assertInstanceOf(ReloadOutcome.Refused.class, reloader.reload());
        assertSame(before, routes.current(), "the valid new route is not applied from an invalid file");
    }

    @Test
    void aBadNextHopIsRefused() throws IOException {
        write("not a uri", "");

        ReloadOutcome.Refused refused = assertInstanceOf(ReloadOutcome.Refused.class, reloader.reload());
        assertTrue(refused.error().contains("sipedge.routes[0].next-hop"), refused.error());
        assertEquals("sip:127.0.0.1:7001", nextHop());
    }

    @Test
    void aRouteNamingAnUndeclaredProfileIsRefused() throws IOException {
        Files.writeString(file, Files.readString(file).replace("name = caller", "name = tenant"));

        ReloadOutcome.Refused refused = assertInstanceOf(ReloadOutcome.Refused.class, reloader.reload());

        assertEquals("sipedge.routes[0].dialog: profiles[0]: dialog profile 'tenant' is not declared in sipedge.dialog.profiles",
                refused.error());
        assertEquals("caller", routes.current().router().rules().get(0).dialog().profiles().get(0).name());
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        Files.delete(file);

        ReloadOutcome.Refused refused = assertInstanceOf(ReloadOutcome.Refused.class, reloader.reload());
        assertTrue(refused.error().startsWith("config file not found"), refused.error());
    }

    @Test
    void aRefusedReloadDoesNotHideALaterGoodOne() throws IOException {
        Files.writeString(file, "sipedge {");
        assertInstanceOf(ReloadOutcome.Refused.class, reloader.reload());
        write("sip:127.0.0.1:7003", "");

        assertEquals(new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of()), reloader.reload());
        assertEquals("sip:127.0.0.1:7003", nextHop());
    }

    @Test
    void aReloadWorksOnAThreadWithoutContextClassLoaderAsTheSignalHandlersAre() throws Exception {
        write("sip:127.0.0.1:7004", "");
        AtomicReference<ReloadOutcome> outcome = new AtomicReference<>();
        Thread handler = new Thread(() -> outcome.set(reloader.reload()), "SIGHUP handler");
        handler.setContextClassLoader(null);
        handler.start();
        handler.join(10_000);

        assertEquals(new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of()), outcome.get());
        assertEquals("sip:127.0.0.1:7004", nextHop());
    }
}

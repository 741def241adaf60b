package dev.sipedge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.sipedge.config.ProxySettings;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.management.ReloadOutcome;
import dev.sipedge.proxy.DrainGate;
import dev.sipedge.proxy.routing.RouteTable;
import dev.sipedge.proxy.routing.Routes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stop sequence and the {@code ProcessControl} face, with a manual clock. */
class LifecycleTest {
    @TempDir
    Path dir;
    private final DrainGate gate = new DrainGate();
    private final List<String> events = new ArrayList<>();
    private long nanos;
    private long dialogs = 1;
    private GracefulStop drain;
    private Lifecycle lifecycle;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("sipedge.conf"), """
                sipedge { listen = ["udp:127.0.0.1:5999"], shutdown { grace = 2s } }
                """);
        drain = new GracefulStop(gate, () -> {
            events.add("count");
            return new GracefulStop.Work.Counted(dialogs, 0);
        }, () -> nanos, d -> {
            nanos += d.toNanos();
            if (nanos >= Duration.ofSeconds(1).toNanos()) {
                dialogs = 0;   // the last call ends after one second
            }
        });
        lifecycle = new Lifecycle(gate, lifecycleReloader(), drain, () -> events.add("close"));
    }

    @Test
    void drainsThenRunsTheStepsThenCloses() {
        lifecycle.beforeClose("first step", () -> events.add("step 1"));
        lifecycle.beforeClose("failing step", () -> {
            throw new IllegalStateException("boom");
        });
        lifecycle.beforeClose("last step", () -> events.add("step 2"));

        GracefulStop.Outcome outcome = lifecycle.stop();

        assertEquals(new GracefulStop.Outcome.Drained(Duration.ofSeconds(1)), outcome);
        assertEquals(List.of("step 1", "step 2", "close"), events.subList(events.size() - 3, events.size()));
        assertTrue(lifecycle.draining());
    }

    @Test
    void theGraceInForceBoundsTheDrain() {
        dialogs = 5;
        drain = new GracefulStop(gate, () -> new GracefulStop.Work.Counted(dialogs, 0), () -> nanos,
                d -> nanos += d.toNanos());
        lifecycle = new Lifecycle(gate, lifecycleReloader(), drain, () -> events.add("close"));

        GracefulStop.Outcome outcome = lifecycle.stop();

        assertEquals(new GracefulStop.Outcome.GraceExpired(Duration.ofSeconds(2),
                new GracefulStop.Work.Counted(5, 0)), outcome, "the file's grace of 2 s");
        assertEquals(List.of("close"), events);
    }

    private Reloader lifecycleReloader() {
        ConfigSource source = ConfigSource.file(dir.resolve("sipedge.conf").toFile());
        Config config = source.read();
        ProxySettings settings = ProxySettings.from(config);
        DialogModule module = new DialogModule(settings.dialog(), new SimpleMeterRegistry());
        return new Reloader(source, ProxySettings::from, module, new Routes(RouteTable.build(settings.routes(), module)),
                config, settings);
    }

    @Test
    void aStopRequestReleasesTheWaiterAndASecondOneCutsTheDrainShort() throws InterruptedException {
        assertFalse(lifecycle.draining());
        lifecycle.requestStop("SIGTERM");
        lifecycle.awaitStopRequest();   // returns at once: the request was made

        dialogs = 1;
        drain = new GracefulStop(gate, () -> new GracefulStop.Work.Counted(1, 0), () -> nanos, d -> {
            nanos += d.toNanos();
            lifecycle.requestStop("SIGINT");
        });
        lifecycle = new Lifecycle(gate, lifecycleReloader(), drain, () -> events.add("close"));
        lifecycle.requestStop("SIGTERM");

        GracefulStop.Outcome outcome = lifecycle.stop();

        assertEquals(new GracefulStop.Outcome.GraceExpired(GracefulStop.POLL_INTERVAL,
                new GracefulStop.Work.Counted(1, 0)), outcome);
    }

    @Test
    void reloadGoesToTheReloader() throws IOException {
        Files.writeString(dir.resolve("sipedge.conf"), "sipedge {");

        assertInstanceOf(ReloadOutcome.Refused.class, lifecycle.reload());
    }
}

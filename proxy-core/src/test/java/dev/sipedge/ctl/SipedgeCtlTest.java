package dev.sipedge.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.config.ManagementSettings;
import dev.sipedge.dialog.DialogFilter;
import dev.sipedge.dialog.DialogPatch;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.dialog.OperatorEnd;
import dev.sipedge.dialog.PingMode;
import dev.sipedge.management.DialogOperations;
import dev.sipedge.management.ManagementServer;
import dev.sipedge.management.ProcessControl;
import dev.sipedge.management.ProfileView;
import dev.sipedge.management.ReloadOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sipedgectl against a management server on a loopback port with canned dialogs: the requests
 * each command makes, its tables, {@code --json}, the address and token from a config file, and
 * the exit statuses (0, 1 for an API error or no API, 2 for a wrong command line).
 */
class SipedgeCtlTest {
    private final List<String> requests = new ArrayList<>();
    private final Canned dialogs = new Canned();
    private ManagementServer server;

    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {
    }

    private String url() {
        return "http://127.0.0.1:" + server.localAddress().getPort();
    }

    private void start(Optional<String> token) throws InterruptedException {
        server = ManagementServer.start(new ManagementSettings(InetSocketAddress.createUnresolved("127.0.0.1", 0), token),
                dialogs, new ProcessControl() {
                    @Override
                    public boolean draining() {
                        return false;
                    }

                    @Override
                    public ReloadOutcome reload() {
                        return new ReloadOutcome.Applied(List.of("sipedge.routes"), List.of());
                    }
                });
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Run ctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new SipedgeCtl(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run ctlUrl(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url()));
        all.addAll(List.of(args));
        return ctl(all.toArray(new String[0]));
    }

    @Test
    void dialogsListShowsATableAndPassesTheFilters() throws Exception {
        start(Optional.empty());
        Run r = ctlUrl("dialogs", "list", "--state", "confirmed", "--callid", "c 1@h");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("ID\\s+CALL-ID\\s+STATE\\s+CALLER\\s+CALLEE\\s+START\\s+TIMEOUT"), lines[0]);
        assertTrue(lines[1].matches("n1\\.1\\s+c 1@h\\s+confirmed\\s+sip:a@x\\s+-\\s+2026-12-03T08:00:00Z\\s+90s"), lines[1]);
        assertEquals("1 dialog", lines[2]);
        assertEquals(Optional.of("c 1@h"), dialogs.filters.get(0).idOrCallId());
        assertEquals(Optional.of(DialogState.CONFIRMED), dialogs.filters.get(0).state());
    }

    @Test
    void showEndAndJson() throws Exception {
        start(Optional.empty());
        Run show = ctlUrl("dialogs", "show", "n1.1");
        assertEquals(0, show.status(), show.err());
        assertTrue(show.out().contains("call-id:     c 1@h\n"), show.out());
        assertTrue(show.out().contains("state:       confirmed (4)\n"), show.out());
        assertTrue(show.out().contains("timeout:     90s\n"), show.out());

        Run json = ctlUrl("--json", "dialogs", "show", "n1.1");
        assertEquals(0, json.status());
        assertTrue(json.out().startsWith("{") && json.out().contains("\"call-id\" : \"c 1@h\""), json.out());

        Run end = ctlUrl("dialogs", "end", "n1.1", "--reason", "two words");
        assertEquals(0, end.status(), end.err());
        assertEquals("ending 1 dialog\n", end.out());
        assertEquals(Optional.of("two words"), dialogs.ends.get(0).reason());

        Run missing = ctlUrl("dialogs", "end", "nope");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no live dialog") && missing.err().contains("HTTP 404"), missing.err());
        assertEquals(1, ctlUrl("dialogs", "show", "nope").status());
    }

    @Test
    void profilesReloadAndHealth() throws Exception {
        start(Optional.empty());
        Run list = ctlUrl("profiles", "list");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().matches("(?s)NAME\\s+WITH-VALUE\\s+SIZE\ncaller\\s+yes\\s+3\ninbound\\s+no\\s+3\n"), list.out());
        Run size = ctlUrl("profiles", "size", "caller");
        assertTrue(size.out().matches("(?s)caller: 3\nVALUE\\s+SIZE\nalice\\s+2\nbob\\s+1\n"), size.out());
        assertEquals("caller: 2\nVALUE  SIZE\nalice  2\n", ctlUrl("profiles", "size", "caller", "alice").out());
        Run end = ctlUrl("profiles", "end", "caller", "alice");
        assertEquals("ending 2 dialogs\n", end.out());
        assertEquals(List.of("caller=alice"), dialogs.profileEnds);
        assertEquals(1, ctlUrl("profiles", "size", "nope").status());

        Run reload = ctlUrl("reload");
        assertEquals(0, reload.status(), reload.err());
        assertEquals("reloaded\nchanged: sipedge.routes\nneed restart: -\n", reload.out());
        assertEquals(new Run(0, "up\n", ""), ctlUrl("health"));
    }

    @Test
    void addressAndTokenComeFromTheConfigFile() throws Exception {
        start(Optional.of("t0k3n"));
        Path conf = tmp.resolve("sipedge.conf");
        Files.writeString(conf, "sipedge.management { listen = \"127.0.0.1:" + server.localAddress().getPort()
                + "\", token = t0k3n }\n");
        assertEquals(new Run(0, "up\n", ""), ctl("--config", conf.toString(), "health"));
        Run wrong = ctl("--config", conf.toString(), "--token", "bad", "health");
        assertEquals(1, wrong.status());
        assertTrue(wrong.err().contains("HTTP 401"), wrong.err());
        assertEquals(0, ctl("--url", url(), "--token", "t0k3n", "health").status());
    }

    @Test
    void usageErrorsExit2AndANoApiExits1() throws IOException {
        for (String[] args : List.of(new String[0], new String[] {"dialogs"}, new String[] {"dialogs", "show"},
                new String[] {"dialogs", "list", "extra"}, new String[] {"frobnicate"},
                new String[] {"health", "--bogus"}, new String[] {"profiles", "list", "--reason", "x"},
                new String[] {"--url"}, new String[] {"--config", tmp.resolve("missing.conf").toString(), "health"})) {
            Run r = ctl(args);
            assertEquals(2, r.status(), List.of(args) + ": " + r.err());
            assertTrue(r.err().contains("usage: sipedgectl"), r.err());
        }
        assertEquals(0, ctl("--help").status());
        Run unreachable = ctl("--url", "http://127.0.0.1:1", "health");
        assertEquals(1, unreachable.status());
        assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());
    }

    /** One confirmed dialog n1.1 / "c 1@h"; profiles caller (alice 2, bob 1) and inbound. */
    private static final class Canned implements DialogOperations {
        final List<DialogFilter> filters = new ArrayList<>();
        final List<OperatorEnd> ends = new ArrayList<>();
        final List<String> profileEnds = new ArrayList<>();
        final DialogSnapshot dialog = new DialogSnapshot("n1.1", 1, "c 1@h", DialogState.CONFIRMED,
                Instant.parse("2026-12-03T08:00:00Z"), Duration.ofSeconds(90),
                new DialogSnapshot.LegSnapshot("sip:a@x", "t1", Optional.empty(), 1, List.of(), Optional.empty(),
                        new DialogSnapshot.Ping(PingMode.NONE, 0)),
                Optional.empty(), List.of(), Map.of(), List.of(), Optional.empty());

        @Override
        public CompletableFuture<List<DialogSnapshot>> list(DialogFilter filter) {
            filters.add(filter);
            return CompletableFuture.completedFuture(filter.idOrCallId()
                    .map(k -> k.equals("n1.1") || k.equals("c 1@h")).orElse(true) ? List.of(dialog) : List.of());
        }

        @Override
        public CompletableFuture<Optional<DialogSnapshot>> patch(String idOrCallId, DialogPatch patch) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletableFuture<Integer> end(String idOrCallId, OperatorEnd how) {
            ends.add(how);
            return CompletableFuture.completedFuture(idOrCallId.equals("n1.1") ? 1 : 0);
        }

        @Override
        public CompletableFuture<Integer> endProfile(String profile, String value) {
            profileEnds.add(profile + "=" + value);
            return CompletableFuture.completedFuture(2);
        }

        @Override
        public List<ProfileView> profiles() {
            return List.of(new ProfileView("caller", true, 3, Map.of("alice", 2, "bob", 1)),
                    new ProfileView("inbound", false, 3, Map.of()));
        }
    }
}

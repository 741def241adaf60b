package dev.sipedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.sipedge.dialog.DialogOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of configuration error, with its key path, origin and expectation, and what passes. */
class ConfigCheckerTest {
    private static final ConfigChecker CHECKER = ConfigChecker.forReference();

    @TempDir
    Path dir;

    private Path file(String text) {
        Path f = dir.resolve("sipedge.conf");
        try {
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** As Main loads a file (system properties over the file over reference.conf). */
    private static Config load(Path f) {
        ConfigFactory.invalidateCaches();
        return ConfigFactory.systemProperties().withFallback(ConfigFactory.parseFile(f.toFile()))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    private ConfigCheck check(String text) {
        Path f = file(text);
        return CHECKER.loadAndCheck(() -> load(f));
    }

    private ConfigError error(String text) {
        ConfigCheck result = check(text);
        return assertInstanceOf(ConfigCheck.Rejected.class, result, "should be refused: " + text).error();
    }

    private ProxySettings accepted(String text) {
        ConfigCheck result = check(text);
        if (result instanceof ConfigCheck.Rejected r) {
            throw new AssertionError("refused: " + r.error().line());
        }
        return ((ConfigCheck.Accepted) result).settings();
    }

    private String at(int line) {
        return dir.resolve("sipedge.conf") + ":" + line;
    }

    // ---- unknown keys ----

    @Test
    void unknownTopLevelBlockNamesTheClosestKey() {
        ConfigError e = error("sipedge {\n  transprt { tcp-idle-timeout = 10s }\n}\n");
        assertEquals("sipedge.transprt", e.key());
        assertEquals(at(2), e.origin());
        assertEquals("unknown key; did you mean transport?", e.problem());
    }

    @Test
    void unknownNestedKeyNamesTheClosestKey() {
        ConfigError e = error("sipedge.listen = [\"udp:127.0.0.1:0\"]\nsipedge.dialog.match-mod = sip-only\n");
        assertEquals("sipedge.dialog.match-mod", e.key());
        assertEquals(at(2), e.origin());
        assertEquals("unknown key; did you mean match-mode?", e.problem());
    }

    @Test
    void unknownKeyInARoute() {
        ConfigError e = error("sipedge.routes = [\n  { next-hop = \"sip:127.0.0.1:5070\"\n    dialgo { track = true } }\n]\n");
        assertEquals("sipedge.routes[0].dialgo", e.key());
        assertEquals(at(3), e.origin());
        assertEquals("unknown key; did you mean dialog?", e.problem());
    }

    @Test
    void unknownKeyInAMatchBlock() {
        ConfigError e = error("sipedge.routes = [ { next-hop = \"sip:a\" },\n"
                + "  { match { method = [INVITE] }, next-hop = \"sip:b\" } ]\n");
        assertEquals("sipedge.routes[1].match.method", e.key());
        assertEquals(at(2), e.origin());
        assertEquals("unknown key; did you mean methods?", e.problem());
    }

    @Test
    void unknownKeyInAProfileEntryAndInTheRouteDialogBlock() {
        assertEquals("sipedge.routes[0].dialog.profiles[0].maximum", error("sipedge.dialog.profiles.no-value = [p]\n"
                + "sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true, profiles = [ { name = p, maximum = 2 } ] } } ]")
                .key());
        ConfigError e = error("sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true, ping-caler = options } } ]");
        assertEquals("sipedge.routes[0].dialog.ping-caler", e.key());
        assertEquals("unknown key; did you mean ping-caller?", e.problem());
    }

    @Test
    void aMisspeltRootBlockIsNotIgnored() {
        ConfigError e = error("sipedg {\n  workers = 2\n}");
        assertEquals("sipedg", e.key());
        assertEquals("unknown key; did you mean sipedge?", e.problem());
        accepted("akka { loglevel = INFO }");
    }

    @Test
    void aKeyFarFromEveryKnownOneListsTheKnownKeys() {
        ConfigError e = error("sipedge.warmup { calls = 0, rounds = 3 }");
        assertEquals("sipedge.warmup.rounds", e.key());
        assertEquals("unknown key; expected one of calls, max-time", e.problem());
    }

    @Test
    void keysThatNoLongerMeanAnythingAreErrorsNotWarnings() {
        assertEquals("sipedge.dialog.db-mode", error("sipedge.dialog.db-mode = 1").key());
    }

    @Test
    void keysWithANullDefaultAreKnown() {
        ProxySettings s = accepted("sipedge { advertised-address = \"sip.example.com\", dialog.node-id = edge-1,\n"
                + " management.token = \"s3cret\" }");
        assertEquals("sip.example.com", s.advertisedAddress());
        assertEquals("edge-1", s.dialog().nodeId());
        accepted("sipedge.advertised-address = null");
    }

    @Test
    void matchHeadersTakeAnyHeaderName() {
        ProxySettings s = accepted("sipedge.routes = [ { match { headers { X-Tenant = \"^acme$\", "
                + "\"P-Asserted-Identity\" = \"sip:\" } }, next-hop = \"sip:a\" } ]");
        assertEquals(2, s.routes().get(0).match().headers().size());
    }

    @Test
    void everyKeyOfARouteDialogBlockIsKnown() {
        // the checker takes the block's keys from DialogOptions; this config uses every one of them
        String block = "track = true, timeout = 1h, bye-on-timeout = true, ping-caller = options,"
                + " ping-callee = reinvite, profiles = [ { name = p, value = \"${from.user}\", max = 3, reject = 403 } ]";
        assertEquals(DialogOptions.KEYS, ConfigFactory.parseString(block).root().keySet());
        ProxySettings s = accepted("sipedge.dialog.profiles.with-value = [p]\n"
                + "sipedge.routes = [ { next-hop = \"sip:a\", dialog { " + block + " } } ]");
        assertEquals(403, s.routes().get(0).dialog().profiles().get(0).rejectStatus());
    }

    // ---- wrong types, bad values, missing keys ----

    @Test
    void wrongTypesSayWhatWasExpected() {
        ConfigError e = error("sipedge {\n  workers = many\n}");
        assertEquals("sipedge.workers", e.key());
        assertEquals(at(2), e.origin());
        assertEquals("expected a whole number, got \"many\"", e.problem());
        assertEquals("expected a duration such as 500ms, 40s or 12h, got \"soon\"",
                error("sipedge.dialog.default-timeout = soon").problem());
        assertEquals("expected a block { ... }, got 5", error("sipedge.transport = 5").problem());
        assertEquals("sipedge.listen", error("sipedge.listen = \"udp:127.0.0.1:5060\"").key());
        assertEquals("expected true or false, got \"maybe\"", error("sipedge.dialog.validate = maybe").problem());
        assertEquals("expected a list of strings [\"...\", ...], got \"INVITE\"",
                error("sipedge.routes = [ { match { methods = INVITE }, next-hop = \"sip:a\" } ]").problem());
        assertEquals("expected a whole number, got null", error("sipedge.workers = null").problem());
        assertEquals("expected a block { ... }, got null", error("sipedge = null").problem());
    }

    @Test
    void badValuesNameTheKeyAndTheLineOfTheListElement() {
        ConfigError e = error("sipedge {\n  listen = [\n    \"udp:127.0.0.1:5060\",\n    \"udp:127.0.0.1:notaport\"\n  ]\n}");
        assertEquals("sipedge.listen[1]", e.key());
        assertEquals(at(4), e.origin());
        assertTrue(e.problem().contains("notaport") && e.problem().contains("udp:IP:PORT"), e.problem());
    }

    @Test
    void badValuesFromTheSettingsRecords() {
        assertEquals("sipedge.dialog.match-mode", error("sipedge.dialog.match-mode = best").key());
        assertEquals("sipedge.dialog.node-id", error("sipedge.dialog.node-id = \"a.b\"").key());
        assertEquals("sipedge.transaction.timer-c", error("sipedge.transaction.timer-c = 1s").key());
        assertEquals("sipedge.transport.max-message-size", error("sipedge.transport.max-message-size = 10").key());
        assertEquals("sipedge.metrics.listen", error("sipedge.metrics.listen = nowhere").key());
        assertEquals("sipedge.dns.servers[0]", error("sipedge.dns.servers = [\"ns.example.com:53\"]").key());
        ConfigError regex = error("sipedge.routes = [ { match { from = \"(\" }, next-hop = \"sip:a\" } ]");
        assertEquals("sipedge.routes[0].match.from", regex.key());
        assertEquals("expected a regular expression (a string), got \"(\" (Unclosed group)", regex.problem());
    }

    @Test
    void badValuesInARouteDialogBlockNameTheKeyInside() {
        ConfigError e = error("sipedge.routes = [ { next-hop = \"sip:a\"\n  dialog {\n    track = true\n"
                + "    ping-caller = sometimes\n  }\n} ]");
        assertEquals("sipedge.routes[0].dialog.ping-caller", e.key());
        assertEquals(at(4), e.origin());
        assertEquals("ping mode must be none, options or reinvite: sometimes", e.problem());
        ConfigError undeclared = error("sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true,"
                + " profiles = [ { name = ghost } ] } } ]");
        assertEquals("sipedge.routes[0].dialog.profiles[0]", undeclared.key());
        assertTrue(undeclared.problem().contains("'ghost' is not declared"), undeclared.problem());
        assertEquals("sipedge.routes[0].dialog", error("sipedge.routes = [ { next-hop = \"sip:a\","
                + " dialog { ping-caller = options } } ]").key(), "ping-* without track");
    }

    @Test
    void aMissingNextHopNamesTheRoute() {
        ConfigError e = error("sipedge.routes = [\n  { match { methods = [INVITE] } }\n]");
        assertEquals("sipedge.routes[0].next-hop", e.key());
        assertEquals(at(2), e.origin());
        assertEquals("missing; expected a SIP URI or a list of SIP URIs here", e.problem());
    }

    @Test
    void dialogPersistenceKeysAreChecked() {
        accepted("sipedge.dialog.persistence { mode = realtime, url = \"jdbc:sqlite:x.db\", update-period = 10s }");
        accepted("sipedge.dialog.persistence { mode = delayed, url = \"jdbc:postgresql://127.0.0.1/sip\" }");
        accepted("sipedge.dialog.persistence { mode = shutdown, start-without-restore = true }");
        ConfigError mode = error("sipedge.dialog.persistence { mode = sometimes }");
        assertEquals("sipedge.dialog.persistence.mode", mode.key());
        assertTrue(mode.problem().contains("none, realtime, delayed or shutdown"), mode.problem());
        ConfigError url = error("sipedge.dialog.persistence { mode = realtime, url = \"jdbc:mysql://db/sip\" }");
        assertEquals("sipedge.dialog.persistence.url", url.key());
        assertTrue(url.problem().contains("jdbc:sqlite: or jdbc:postgresql:"), url.problem());
        ConfigError period = error("sipedge.dialog.persistence { mode = delayed, update-period = 0s }");
        assertEquals("sipedge.dialog.persistence.update-period", period.key());
        assertTrue(period.problem().contains("must be positive"), period.problem());
    }

    // ---- where a setting applies ----

    @Test
    void shortPingIntervalsAreAcceptedWhenNoRoutePings() {
        // DESIGN.md's sample (30 s) and issue 11's re-INVITE case: nothing pings, nothing to check
        ProxySettings s = accepted("sipedge.dialog { options-ping-interval = 30s, reinvite-ping-interval = 30s }\n"
                + "sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true } } ]");
        assertEquals(Duration.ofSeconds(30), s.dialog().requests().reinvitePingInterval());
    }

    @Test
    void aReinviteIntervalNotAbove64T1IsRefusedWhenARouteUsesReinvitePings() {
        ConfigError e = error("sipedge.dialog {\n  reinvite-ping-interval = 30s\n}\n"
                + "sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true, ping-callee = reinvite } } ]");
        assertEquals("sipedge.dialog.reinvite-ping-interval", e.key());
        assertEquals(at(2), e.origin());
        assertTrue(e.problem().contains("64*T1 (32s)"), e.problem());
        error("sipedge.dialog.reinvite-ping-interval = 32s\n"
                + "sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true, ping-caller = reinvite } } ]");
        accepted("sipedge.dialog.reinvite-ping-interval = 33s\n"
                + "sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true, ping-caller = reinvite } } ]");
    }

    @Test
    void anOptionsIntervalIsCheckedOnlyWhenARouteUsesOptionsPings() {
        String route = "sipedge.routes = [ { next-hop = \"sip:a\", dialog { track = true, ping-caller = options } } ]";
        assertEquals("sipedge.dialog.options-ping-interval", error("sipedge.dialog.options-ping-interval = 30s\n" + route).key());
        accepted("sipedge.dialog.reinvite-ping-interval = 30s\n" + route);
    }

    // ---- origins other than a file ----

    @Test
    void systemPropertiesAreCheckedAndSaySo() {
        String typo = "sipedge.dialog.match-mod";
        String workers = "sipedge.workers";
        try {
            System.setProperty(typo, "sip-only");
            ConfigError e = error("sipedge.listen = [\"udp:127.0.0.1:0\"]");
            assertEquals(typo, e.key());
            assertEquals("system property -D" + typo, e.origin());
            assertEquals("unknown key; did you mean match-mode?", e.problem());
            System.clearProperty(typo);
            System.setProperty(workers, "x");
            ConfigError type = error("sipedge.listen = [\"udp:127.0.0.1:0\"]");
            assertEquals(workers, type.key());
            assertEquals("system property -D" + workers, type.origin());
            System.setProperty(workers, "3");
            assertEquals(3, accepted("sipedge.listen = [\"udp:127.0.0.1:0\"]").workers(), "a number as text is a number");
        } finally {
            System.clearProperty(typo);
            System.clearProperty(workers);
            ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void syntaxErrorsAndUnresolvedSubstitutionsGiveTheLine() {
        ConfigError syntax = error("sipedge {\n  listen = [ }\n");
        assertEquals("syntax", syntax.key());
        assertEquals(at(2), syntax.origin());
        ConfigError substitution = error("sipedge {\n  workers = ${nope}\n}");
        assertEquals("substitution", substitution.key());
        assertEquals(at(2), substitution.origin());
        assertTrue(substitution.problem().contains("${nope}"), substitution.problem());
    }

    @Test
    void theErrorIsOneLine() {
        ConfigError e = error("sipedge.dialog.match-mod = x");
        assertEquals("sipedge: bad configuration: sipedge.dialog.match-mod (" + at(1)
                + "): unknown key; did you mean match-mode?", e.line());
        assertFalse(new ConfigError("k", "o", "a\nb\r\nc").line().contains("\n"));
    }

    // ---- what ships ----

    @Test
    void theDefaultsAlonePass() {
        accepted("");
    }

    @Test
    void everyShippedConfigurationPasses() throws IOException {
        // Surefire runs in proxy-core/; the shipped files are beside it
        for (String shipped : new String[] {"../conf/sipedge.conf", "../conf/bench.conf", "../docker/sipedge.conf"}) {
            Path f = Path.of(shipped);
            ConfigCheck result = CHECKER.loadAndCheck(() -> load(f));
            assertInstanceOf(ConfigCheck.Accepted.class, result, shipped + ": " + result);
        }
        try (var scripts = Files.walk(Path.of("..", "scripts"))) {
            for (Path f : scripts.filter(p -> p.toString().endsWith(".conf") || p.toString().endsWith(".hocon"))
                    .collect(Collectors.toList())) {
                ConfigCheck result = CHECKER.loadAndCheck(() -> load(f));
                assertInstanceOf(ConfigCheck.Accepted.class, result, f + ": " + result);
            }
        }
        String e2e = Files.readString(Path.of("src", "test", "resources", "e2e", "sipedge-e2e.conf"))
                .replace("@SIP_PORT@", "5999").replace("@UAS_PORT@", "5998").replace("@UAS_TRANSPORT@", "udp")
                .replace("@METRICS_PORT@", "5997").replace("@MANAGEMENT_PORT@", "5996");
        accepted(e2e);
    }
}

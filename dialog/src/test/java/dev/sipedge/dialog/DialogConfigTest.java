package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sipedge.dialog} from reference.conf and a route's {@code dialog { }} block. */
class DialogConfigTest {

    private static Config with(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void referenceConfDefaults() {
        DialogSettings s = DialogSettings.from(ConfigFactory.load());
        assertEquals("did", s.rrParam());
        assertEquals(MatchMode.DID_FALLBACK, s.matchMode());
        assertFalse(s.validate());
        assertEquals(Duration.ofHours(12), s.defaultTimeout());
        assertTrue(s.resetTimeoutOnSequential());
        assertEquals(Duration.ZERO, s.deleteDelay());
        assertTrue(s.detectSpirals());
        assertEquals(List.of(), s.profilesWithValue());
        assertEquals(List.of(), s.profilesNoValue());
        assertFalse(s.nodeId().isEmpty());
        assertNotEquals(s.nodeId(), DialogSettings.from(ConfigFactory.load()).nodeId(), "random per start");
    }

    @Test
    void overriddenValues() {
        DialogSettings s = DialogSettings.from(with("""
                sipedge.dialog { node-id = edge-1, rr-param = dlg, match-mode = sip-only, validate = true,
                  default-timeout = 2h, reset-timeout-on-sequential = false, delete-delay = 5s, detect-spirals = false,
                  profiles { with-value = [caller], no-value = [inbound] } }
                """));
        assertEquals("edge-1", s.nodeId());
        assertEquals("dlg", s.rrParam());
        assertEquals(MatchMode.SIP_ONLY, s.matchMode());
        assertTrue(s.validate());
        assertEquals(Duration.ofHours(2), s.defaultTimeout());
        assertFalse(s.resetTimeoutOnSequential());
        assertEquals(Duration.ofSeconds(5), s.deleteDelay());
        assertFalse(s.detectSpirals());
        assertEquals(List.of("caller"), s.profilesWithValue());
        assertEquals(List.of("inbound"), s.profilesNoValue());
        DialogModule module = new DialogModule(s, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        long first = module.nextSequence();
        assertTrue(module.didOf(first).startsWith("edge-1."));
        assertNotEquals(module.didOf(first), module.didOf(module.nextSequence()));
        assertEquals(first, module.sequenceOf(module.didOf(first)), "a did reads back as its sequence");
    }

    @Test
    void didsOfOtherNodesOrGarbageNameNoDialog() {
        DidCookie cookies = new DidCookie("edge-1");
        assertEquals(-1, cookies.parse("edge-2." + Long.toString(5, 36)));
        assertEquals(-1, cookies.parse("edge-1."));
        assertEquals(-1, cookies.parse("edge-1.not*base36"));
        assertEquals(-1, cookies.parse("edge-1.zzzzzzzzzzzzzzzzzzzz"), "too long for a long");
        assertEquals(-1, cookies.parse("edge-1.0"));
        assertEquals(-1, cookies.parse(null));
        assertEquals(35, cookies.parse("edge-1.z"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DialogSettings.from(with("sipedge.dialog.match-mode = best")));
        assertThrows(IllegalArgumentException.class, () -> DialogSettings.from(with("sipedge.dialog.node-id = \"a.b\"")));
        assertThrows(IllegalArgumentException.class, () -> DialogSettings.from(with("sipedge.dialog.rr-param = \"d;x\"")));
        assertThrows(IllegalArgumentException.class, () -> DialogSettings.from(with("sipedge.dialog.default-timeout = 0s")));
        assertThrows(IllegalArgumentException.class, () -> DialogSettings.from(with("sipedge.dialog.delete-delay = -1s")));
        assertThrows(IllegalArgumentException.class, () -> DialogSettings.from(with(
                "sipedge.dialog.profiles { with-value = [x], no-value = [x] }")));
    }

    @Test
    void matchModeSpellings() {
        assertEquals(MatchMode.DID_ONLY, MatchMode.parse("did-only"));
        assertEquals(MatchMode.DID_FALLBACK, MatchMode.parse(" DID-Fallback "));
        assertEquals("sip-only", MatchMode.SIP_ONLY.configName());
        assertEquals(PingMode.REINVITE, PingMode.parse("reinvite"));
        assertThrows(IllegalArgumentException.class, () -> PingMode.parse("ping"));
    }

    @Test
    void routeBlockIsParsed() {
        DialogOptions o = DialogOptions.from(ConfigFactory.parseString("""
                track = true
                timeout = 2h
                ping-caller = options
                ping-callee = reinvite
                profiles = [ { name = caller, value = "${from.user}", max = 5, reject = 403 }, { name = inbound } ]
                """), "route 3");
        assertTrue(o.track());
        assertEquals(Duration.ofHours(2), o.timeout());
        assertEquals(PingMode.OPTIONS, o.pingCaller());
        assertEquals(PingMode.REINVITE, o.pingCallee());
        assertEquals(2, o.profiles().size());
        ProfileRule caller = o.profiles().get(0);
        assertEquals("caller", caller.name());
        assertEquals("${from.user}", caller.value().toString());
        assertEquals(5, caller.max());
        assertEquals(403, caller.rejectStatus());
        ProfileRule inbound = o.profiles().get(1);
        assertNull(inbound.value());
        assertEquals(0, inbound.max());
        assertEquals(486, inbound.rejectStatus(), "default reject status");
    }

    @Test
    void emptyRouteBlockMeansNotTracked() {
        DialogOptions o = DialogOptions.from(ConfigFactory.empty(), "r");
        assertFalse(o.track());
        assertNull(o.timeout());
        assertEquals(PingMode.NONE, o.pingCaller());
        assertEquals(PingMode.NONE, o.pingCallee());
        assertEquals(List.of(), o.profiles());
    }

    @Test
    void badRouteBlocksAreRefusedNamingTheRoute() {
        for (String bad : List.of(
                "track = true, ping-caller = sometimes",
                "track = true, timeout = 0s",
                "profiles = [ { name = inbound } ]",
                "track = true, profiles = [ { name = caller, max = -1 } ]",
                "track = true, profiles = [ { name = caller, reject = 200 } ]",
                "track = true, profiles = [ { name = caller, value = \"${nope}\" } ]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DialogOptions.from(ConfigFactory.parseString(bad), "route 7"), bad);
            assertTrue(e.getMessage().startsWith("route 7: "), e.getMessage());
        }
    }
}

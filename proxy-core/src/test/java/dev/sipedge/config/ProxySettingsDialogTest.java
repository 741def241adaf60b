package dev.sipedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.sipedge.dialog.PingMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The dialog keys of issue 4 as the proxy reads them, and their check against the transaction timers. */
class ProxySettingsDialogTest {

    private static ProxySettings read(String sipedge) {
        String hocon = "sipedge {\n listen = [\"udp:127.0.0.1:0\"]\n"
                + " routes = [ { next-hop = \"sip:127.0.0.1:5070\", dialog { track = true, bye-on-timeout = true,"
                + " ping-caller = options, ping-callee = reinvite } } ]\n" + sipedge + "\n}\n";
        return ProxySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void shippedDefaultsPassTheCheckAndRoutesReadTheirPingModes() {
        ProxySettings s = read("");
        assertEquals(Duration.ofSeconds(40), s.dialog().requests().optionsPingInterval());
        assertEquals(Duration.ofSeconds(300), s.dialog().requests().reinvitePingInterval());
        assertEquals(1, s.dialog().requests().failedPingLimit());
        assertTrue(s.routes().get(0).dialog().byeOnTimeout());
        assertEquals(PingMode.OPTIONS, s.routes().get(0).dialog().pingCaller());
        assertEquals(PingMode.REINVITE, s.routes().get(0).dialog().pingCallee());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sipedge.conf", "bench.conf"})
    void theShippedConfigurationsAreAccepted(String file) {
        // Surefire runs in the module directory; conf/ is beside it.
        java.nio.file.Path path = java.nio.file.Path.of("..", "conf", file);
        ProxySettings s = ProxySettings.from(ConfigFactory.parseFile(path.toFile())
                .withFallback(ConfigFactory.defaultReference()).resolve());
        assertTrue(s.routes().get(0).dialog().track(), file + " tracks its calls");
    }

    @Test
    void anOptionsIntervalNotLongerThan64T1IsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("dialog { options-ping-interval = 32s }"));
        assertTrue(e.getMessage().contains("options-ping-interval"), e.getMessage());
    }

    @Test
    void aReinviteIntervalNotLongerThan64T1IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> read("dialog { reinvite-ping-interval = 30s }"));
    }

    @Test
    void smallerTimersAllowShorterIntervals() {
        ProxySettings s = read("transaction { t1 = 20ms, t2 = 160ms, t4 = 200ms, timer-c = 2s }\n"
                + "dialog { options-ping-interval = 2s, reinvite-ping-interval = 3s, failed-ping-limit = 3,"
                + " extra-headers = [\"X-Sipedge: keepalive\"], bye-cseq-gap = 10, end-on-race-condition = true }");
        assertEquals(3, s.dialog().requests().failedPingLimit());
        assertEquals(10, s.dialog().requests().byeCseqGap());
        assertTrue(s.dialog().requests().endOnRaceCondition());
        assertEquals(java.util.List.of("X-Sipedge: keepalive"), s.dialog().requests().extraHeaders());
    }

    @Test
    void aShortReinviteIntervalIsAcceptedWhenNoRoutePingsWithReinvite() {
        // issue 11: checked only where it applies, and against 64*T1 (Timer B), not Timer C
        String hocon = "sipedge { listen = [\"udp:127.0.0.1:0\"], routes = [ { next-hop = \"sip:127.0.0.1:5070\","
                + " dialog { track = true, ping-caller = options } } ], dialog { reinvite-ping-interval = 30s } }";
        ProxySettings s = ProxySettings.from(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference()).resolve());
        assertEquals(Duration.ofSeconds(30), s.dialog().requests().reinvitePingInterval());
        assertEquals(Duration.ofSeconds(33), read("dialog { reinvite-ping-interval = 33s }")
                .dialog().requests().reinvitePingInterval(), "above 64*T1 is enough with re-INVITE pings");
    }
}

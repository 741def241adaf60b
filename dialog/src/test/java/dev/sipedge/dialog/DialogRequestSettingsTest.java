package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import gov.nist.javax.sip.header.Reason;
import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The new {@code sipedge.dialog} keys ({@link DialogRequestSettings}), their checks, a route's
 * {@code bye-on-timeout} and {@code ping-*} ({@link DialogOptions}), and the Reason of each {@link EndCause}.
 */
class DialogRequestSettingsTest {
    private static final Duration S = Duration.ofSeconds(1);
    private static final Duration T1_64 = Duration.ofSeconds(32);

    private static Config with(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    private static DialogRequestSettings settings(Duration options, Duration reinvite, int limit, List<String> headers,
                                                  long gap, Duration race) {
        return new DialogRequestSettings(options, reinvite, limit, headers, gap, true, race);
    }

    private static DialogRequestSettings valid() {
        return DialogRequestSettings.defaults();
    }

    @Test
    void referenceConfMatchesTheDefaults() {
        DialogRequestSettings r = DialogSettings.from(ConfigFactory.load()).requests();
        assertEquals(DialogRequestSettings.defaults(), r);
        assertEquals(Duration.ofSeconds(40), r.optionsPingInterval());
        assertEquals(Duration.ofSeconds(300), r.reinvitePingInterval());
        assertEquals(1, r.failedPingLimit());
        assertEquals(List.of(), r.extraHeaders());
        assertEquals(0, r.byeCseqGap());
        assertFalse(r.endOnRaceCondition());
        assertEquals(Duration.ofSeconds(5), r.raceConditionTimeout());
        assertEquals(r, DialogSettings.defaults().requests());
    }

    @Test
    void everyKeyIsRead() {
        DialogRequestSettings r = DialogSettings.from(with("""
                sipedge.dialog { options-ping-interval = 60s, reinvite-ping-interval = 10m, failed-ping-limit = 3,
                  extra-headers = ["X-Edge: 1", "P-Charge: none"], bye-cseq-gap = 100,
                  end-on-race-condition = true, race-condition-timeout = 2s }
                """)).requests();
        assertEquals(Duration.ofSeconds(60), r.optionsPingInterval());
        assertEquals(Duration.ofMinutes(10), r.reinvitePingInterval());
        assertEquals(3, r.failedPingLimit());
        assertEquals(List.of("X-Edge: 1", "P-Charge: none"), r.extraHeaders());
        assertEquals(100, r.byeCseqGap());
        assertTrue(r.endOnRaceCondition());
        assertEquals(Duration.ofSeconds(2), r.raceConditionTimeout());
    }

    @Test
    void badValuesInTheConfigAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> DialogSettings.from(with("sipedge.dialog.failed-ping-limit = 0")));
        assertThrows(IllegalArgumentException.class,
                () -> DialogSettings.from(with("sipedge.dialog.options-ping-interval = 0s")));
        assertThrows(IllegalArgumentException.class,
                () -> DialogSettings.from(with("sipedge.dialog.extra-headers = [\"no colon\"]")));
    }

    @Test
    void durationsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> settings(Duration.ZERO, S, 1, List.of(), 0, S));
        assertThrows(IllegalArgumentException.class, () -> settings(S, S.negated(), 1, List.of(), 0, S));
        assertThrows(IllegalArgumentException.class, () -> settings(S, S, 1, List.of(), 0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> settings(null, S, 1, List.of(), 0, S));
        assertDoesNotThrow(() -> settings(S, S, 1, List.of(), 0, S));
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> valid().withFailedPingLimit(0));
        assertEquals(1, valid().withFailedPingLimit(1).failedPingLimit());
        assertThrows(IllegalArgumentException.class, () -> valid().withExtraHeaders(List.of(), -1));
        assertThrows(IllegalArgumentException.class, () -> valid().withExtraHeaders(List.of(), 1_000_001));
        assertEquals(1_000_000, valid().withExtraHeaders(List.of(), 1_000_000).byeCseqGap());
        assertEquals(0, valid().withExtraHeaders(List.of(), 0).byeCseqGap());
    }

    @Test
    void extraHeadersMustBeOneNameValueLine() {
        assertEquals(List.of("X-A: b"), valid().withExtraHeaders(List.of("X-A: b"), 0).extraHeaders());
        for (String bad : List.of("no colon", ": no name", "X-A: b\r\nX-B: c", "X-A: b\n", "X-A: b\r")) {
            assertThrows(IllegalArgumentException.class, () -> valid().withExtraHeaders(List.of(bad), 0), bad);
        }
    }

    @Test
    void extraHeadersAreCopied() {
        java.util.ArrayList<String> headers = new java.util.ArrayList<>(List.of("X-A: 1"));
        DialogRequestSettings r = valid().withExtraHeaders(headers, 0);
        headers.add("X-B: 2");
        assertEquals(List.of("X-A: 1"), r.extraHeaders());
        assertThrows(UnsupportedOperationException.class, () -> r.extraHeaders().add("X-C: 3"));
    }

    @Test
    void pingIntervalsMustOutlastTheirTransactions() {
        assertDoesNotThrow(() -> valid().checkAgainst(T1_64, true, true));
        IllegalArgumentException options = assertThrows(IllegalArgumentException.class,
                () -> valid().withPingIntervals(T1_64, Duration.ofMinutes(5)).checkAgainst(T1_64, true, false));
        assertTrue(options.getMessage().startsWith("sipedge.dialog.options-ping-interval"), options.getMessage());
        IllegalArgumentException reinvite = assertThrows(IllegalArgumentException.class,
                () -> valid().withPingIntervals(Duration.ofSeconds(40), T1_64).checkAgainst(T1_64, false, true));
        assertTrue(reinvite.getMessage().startsWith("sipedge.dialog.reinvite-ping-interval"), reinvite.getMessage());
        assertDoesNotThrow(() -> valid().withPingIntervals(T1_64.plusMillis(1), T1_64.plusMillis(1))
                .checkAgainst(T1_64, true, true));
    }

    @Test
    void aReinviteIntervalNeedsOnlyTimerBNotTimerC() {
        // issue 11: a leg whose ping still rings skips the next round, so 64*T1 is the bound
        assertDoesNotThrow(() -> valid().withPingIntervals(Duration.ofSeconds(40), Duration.ofSeconds(33))
                .checkAgainst(T1_64, true, true));
    }

    @Test
    void anIntervalNoRouteUsesIsNotChecked() {
        DialogRequestSettings short30 = valid().withPingIntervals(Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertDoesNotThrow(() -> short30.checkAgainst(T1_64, false, false));
        assertDoesNotThrow(() -> valid().withPingIntervals(Duration.ofSeconds(40), Duration.ofSeconds(30))
                .checkAgainst(T1_64, true, false), "only OPTIONS pings: the re-INVITE interval is not checked");
        assertDoesNotThrow(() -> valid().withPingIntervals(Duration.ofSeconds(30), Duration.ofSeconds(40))
                .checkAgainst(T1_64, false, true), "only re-INVITE pings: the OPTIONS interval is not checked");
        assertThrows(IllegalArgumentException.class, () -> short30.checkAgainst(T1_64, false, true));
        assertThrows(IllegalArgumentException.class, () -> short30.checkAgainst(T1_64, true, false));
    }

    @Test
    void withersKeepTheOtherFields() {
        DialogRequestSettings r = valid().withRaceCondition(true, Duration.ofSeconds(9))
                .withExtraHeaders(List.of("X-A: 1"), 7).withFailedPingLimit(4)
                .withPingIntervals(Duration.ofSeconds(50), Duration.ofSeconds(500));
        assertEquals(new DialogRequestSettings(Duration.ofSeconds(50), Duration.ofSeconds(500), 4, List.of("X-A: 1"), 7,
                true, Duration.ofSeconds(9)), r);
        assertEquals(r, DialogHarness.settings().withRequests(r).requests());
        assertEquals(r, DialogHarness.settings().withRequests(r).withMatchMode(MatchMode.SIP_ONLY).requests());
    }

    // ---- a route's dialog block ----

    @Test
    void routeBlockReadsByeOnTimeoutAndPingModes() {
        DialogOptions o = DialogOptions.from(ConfigFactory.parseString(
                "track = true, bye-on-timeout = true, ping-caller = options, ping-callee = reinvite"), "route r");
        assertTrue(o.byeOnTimeout());
        assertEquals(PingMode.OPTIONS, o.pingCaller());
        assertEquals(PingMode.REINVITE, o.pingCallee());
        assertTrue(o.pings());
        DialogOptions plain = DialogOptions.from(ConfigFactory.parseString("track = true"), "route r");
        assertFalse(plain.byeOnTimeout());
        assertFalse(plain.pings());
        assertFalse(DialogOptions.TRACK.byeOnTimeout());
    }

    @Test
    void byeOnTimeoutAndPingsNeedTrack() {
        for (String block : List.of("bye-on-timeout = true", "ping-caller = options", "ping-callee = reinvite",
                "track = false, bye-on-timeout = true")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DialogOptions.from(ConfigFactory.parseString(block), "route r"), block);
            assertTrue(e.getMessage().startsWith("route r: "), e.getMessage());
        }
        assertFalse(DialogOptions.from(ConfigFactory.parseString("bye-on-timeout = false, ping-caller = none"), "r")
                .track(), "the off values need nothing");
    }

    @Test
    void optionWithersKeepTheOtherFields() {
        DialogOptions o = DialogOptions.TRACK.withTimeout(Duration.ofMinutes(5)).withByeOnTimeout(true)
                .withPings(PingMode.REINVITE, PingMode.OPTIONS);
        assertTrue(o.byeOnTimeout());
        assertEquals(Duration.ofMinutes(5), o.timeout());
        assertEquals(PingMode.REINVITE, o.pingCaller());
        DialogOptions more = o.withProfiles(List.of(new ProfileRule("p", null, 0, 486))).withTimeout(Duration.ofMinutes(1));
        assertTrue(more.byeOnTimeout());
        assertEquals(PingMode.OPTIONS, more.pingCallee());
        assertFalse(o.withByeOnTimeout(false).byeOnTimeout());
        assertFalse(new DialogOptions(true, null, PingMode.NONE, PingMode.NONE, List.of()).byeOnTimeout());
    }

    // ---- end causes ----

    @Test
    void causesOfOurOwnEndsCarryAReason() {
        for (EndCause cause : List.of(EndCause.FAILED, EndCause.NOT_ANSWERED, EndCause.CALLER_BYE, EndCause.CALLEE_BYE)) {
            assertNull(cause.reasonHeader(), cause.name());
        }
        assertReason(EndCause.EXPIRED, "SIP", 408);
        assertReason(EndCause.OPERATOR, "Q.850", 16);
        assertReason(EndCause.CALLER_PING_FAILED, "SIP", 408);
        assertReason(EndCause.CALLEE_PING_FAILED, "SIP", 408);
        assertReason(EndCause.RACE_CONDITION, "SIP", 487);
    }

    /** The value parses as an RFC 3326 Reason header with a protocol, cause and text. */
    private static void assertReason(EndCause cause, String protocol, int code) {
        SIPRequest r = Msgs.request("BYE").toTag("t").build();
        String text = r.encode();
        int eol = text.indexOf("\r\n");
        SIPRequest parsed = (SIPRequest) Msgs.parse(text.substring(0, eol + 2) + "Reason: " + cause.reasonHeader()
                + "\r\n" + text.substring(eol + 2));
        Reason reason = (Reason) parsed.getHeader(Reason.NAME);
        assertEquals(protocol, reason.getProtocol(), cause.name());
        assertEquals(code, reason.getCause(), cause.name());
        assertFalse(reason.getText() == null || reason.getText().isEmpty(), cause.name());
    }
}

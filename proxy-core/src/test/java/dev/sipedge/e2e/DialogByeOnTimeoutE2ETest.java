package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A route with {@code dialog { track = true, timeout = 2s, bye-on-timeout = true }}: when a
 * dialog's lifetime runs out the proxy itself sends BYE to both legs (neither UA ever sends one),
 * and both UAs answer 200. The SIPp scenarios check each BYE on arrival (a failed check fails the
 * call): toward the caller, Request-URI = the caller's Contact, To tag = the caller's tag, From tag
 * = the callee's; toward the callee, the tags the other way round and a CSeq above the caller's
 * last; both with a Reason header (RFC 3326). The proxy counts every call expired, receives no
 * BYE from the UAs, and its dialog gauges return to 0.
 */
@Tag("e2e")
class DialogByeOnTimeoutE2ETest {

    private static final String ROUTE = DialogE2E.trackedRoute("track = true, timeout = 2s, bye-on-timeout = true");
    private static final String BYES_RECEIVED = "sipedge_requests_received_total{method=\"BYE\"}";
    private static final Duration UAC_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration UAS_TIMEOUT = Duration.ofSeconds(30);

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    /** scripts/sipp/dialog-bye-timeout: INVITE with CSeq 1000, 200, ACK, then both sides wait for the proxy's BYE. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Timeout(value = 90)
    void theProxyByesBothLegsOfEveryCallWhenItsLifetimeRunsOut(String transport) {
        int calls = 3;
        Path work = E2eEnvironment.newWorkDir("dialog-bye-timeout-" + transport);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, transport, ROUTE);
                SippPair pair = SippPair.start(work, "dialog-bye-timeout", "uac.xml", proxy.sipAddress(), uasPort,
                        options(transport, calls), UAS_TIMEOUT)) {
            // all answered, none expired yet: the calls start 33 ms apart and expire 2 s after their 200
            proxy.awaitMetrics(Map.of(ACTIVE, (double) calls, EXPIRED, 0.0), Duration.ofSeconds(10));

            SippPair.Ended ended = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(10), UAS_TIMEOUT.plusSeconds(5));

            ended.assertAllSucceeded(calls, () -> proxyState(proxy));
            SipedgeProcess.Metrics after = proxy.awaitMetrics(Map.of(EXPIRED, (double) calls, ACTIVE, 0.0, EARLY, 0.0,
                    FAILED, 0.0, PROCESSED, (double) calls), Duration.ofSeconds(10));
            assertEquals(0.0, orZero(after.value(BYES_RECEIVED)),
                    "a UA sent a BYE: the calls were not ended by the proxy\n" + after.lines("sipedge_"));
        }
    }

    /**
     * scripts/sipp/dialog-bye-reinvite: after the INVITE (CSeq 1000) the caller re-INVITEs (1001),
     * then the callee re-INVITEs in its own CSeq space (7000), each answered 200 and ACKed. The BYE
     * toward the caller must then exceed 7000 and the BYE toward the callee 1001 (RFC 3261
     * §12.2.1.1): each counts on from what its side last saw.
     */
    @Test
    @Timeout(value = 90)
    void byeCseqTowardEachLegExceedsTheReInviteThatLegLastReceived() {
        int calls = 2;
        Path work = E2eEnvironment.newWorkDir("dialog-bye-reinvite");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp", ROUTE);
                SippPair pair = SippPair.start(work, "dialog-bye-reinvite", "uac.xml", proxy.sipAddress(), uasPort,
                        options("udp", calls), UAS_TIMEOUT)) {
            SippPair.Ended ended = pair.awaitEnd(UAC_TIMEOUT.plusSeconds(10), UAS_TIMEOUT.plusSeconds(5));

            ended.assertAllSucceeded(calls, () -> proxyState(proxy));
            SipedgeProcess.Metrics after = proxy.awaitMetrics(Map.of(EXPIRED, (double) calls, ACTIVE, 0.0, EARLY, 0.0,
                    FAILED, 0.0, PROCESSED, (double) calls), Duration.ofSeconds(10));
            assertEquals(0.0, orZero(after.value(BYES_RECEIVED)),
                    "a UA sent a BYE: the calls were not ended by the proxy\n" + after.lines("sipedge_"));
        }
    }

    private static SippProcess.Options options(String transport, int calls) {
        return new SippProcess.Options().transport(transport.equals("tcp") ? "t1" : "u1").calls(calls).rate(30)
                .timeout(UAC_TIMEOUT).traceMessages(true);
    }

    private static String proxyState(SipedgeProcess proxy) {
        return "--- proxy metrics:\n" + proxy.scrapeMetrics().lines("sipedge_dialog") + "\n--- proxy log (tail):\n"
                + proxy.logTail(30);
    }

    /** A counter that never moved may be absent from the scrape. */
    private static double orZero(double value) {
        return Double.isNaN(value) ? 0.0 : value;
    }
}

package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run of a SIPp scenario pair through the proxy: the UAS of {@code scripts/sipp/<name>} on
 * the port the proxy routes to, then the UAC sending to the proxy. Both are always stopped
 * before {@link #run} returns; the proxy belongs to the caller.
 */
final class CallRun {

    /** Time the UAS may still need after the UAC ends, beyond its own time-wait. */
    private static final Duration UAS_DRAIN_MARGIN = Duration.ofSeconds(11);

    private final SippResult uac;
    private final SippResult uas;
    private final SipedgeProcess proxy;
    private final Duration elapsed;

    private CallRun(SippResult uac, SippResult uas, SipedgeProcess proxy, Duration elapsed) {
        this.uac = uac;
        this.uas = uas;
        this.proxy = proxy;
        this.elapsed = elapsed;
    }

    /**
     * Runs {@code scenario} with {@code options} (the UAS gets the same transport, call count,
     * loss and trace settings, and a timeout longer than the UAC's by its time-wait plus 11 s).
     */
    static CallRun run(Path workDir, SipedgeProcess proxy, String scenario, int uasPort,
            SippProcess.Options options) {
        Path dir = E2eEnvironment.scenario(scenario);
        long start = System.nanoTime();
        Duration uasDrain = Duration.ofMillis(options.uasTimeWaitMs).plus(UAS_DRAIN_MARGIN);
        SippProcess.Options uasOptions = new SippProcess.Options()
                .transport(options.transport).calls(options.calls).lostPercent(options.lostPercent)
                .uasTimeWaitMs(options.uasTimeWaitMs).traceMessages(options.traceMessages)
                .timeout(options.timeout.plus(uasDrain));
        try (SippProcess uas = SippProcess.startUas(workDir, dir, uasPort, uasOptions);
                SippProcess uac = SippProcess.startUac(workDir, dir, proxy.sipAddress(), FreePorts.udpAndTcp(), options)) {
            SippResult uacResult = uac.awaitExit(options.timeout.plusSeconds(10));
            SippResult uasResult = uas.awaitExit(uasDrain);
            return new CallRun(uacResult, uasResult, proxy, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * A run of a SIPp pair that the caller started and awaited itself (see
     * SippPair#awaitEnd(Duration, Duration, SipedgeProcess)).
     */
    static CallRun of(SippResult uac, SippResult uas, SipedgeProcess proxy, Duration elapsed) {
        return new CallRun(uac, uas, proxy, elapsed);
    }

    SippResult uac() {
        return uac;
    }

    SippResult uas() {
        return uas;
    }

    Duration elapsed() {
        return elapsed;
    }

    /** Every one of {@code calls} calls completed its scenario on both sides, and the proxy lives. */
    void assertAllSucceeded(int calls) {
        String context = describe();
        assertAll(
                () -> assertEquals(0, uac.exitStatus(), "UAC exit status\n" + context),
                () -> assertEquals(calls, uac.successful(), "UAC successful calls\n" + context),
                () -> assertEquals(0, uac.failed(), "UAC failed calls\n" + context),
                () -> assertEquals(0, uas.exitStatus(), "UAS exit status\n" + context),
                () -> assertEquals(calls, uas.successful(), "UAS successful calls\n" + context),
                () -> assertEquals(0, uas.failed(), "UAS failed calls\n" + context),
                () -> assertTrue(proxy.isAlive(), "the proxy died\n" + context));
    }

    /** Both SIPp reports and the end of the proxy's log, for assertion messages. */
    String describe() {
        return "run took " + elapsed.toMillis() + " ms\n" + uac.describe() + "\n" + uas.describe()
                + "\n--- proxy log (tail):\n" + proxy.logTail(30);
    }
}

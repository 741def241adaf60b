package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A SIPp UAS and UAC of one {@code scripts/sipp/<scenario>} directory, started at once: the UAS on
 * the port the proxy routes to, the UAC sending to the proxy. The UAS takes the UAC's transport,
 * call count and message tracing ({@code -trace_msg}), so a test sets those once. Tests act on the
 * proxy (a child process or one in this JVM) while the calls run, then await the end of both
 * sides within bounds of their own. Closing stops both; the proxy belongs to the caller.
 */
final class SippPair implements AutoCloseable {

    /** The UAS's time-wait after each call, for retransmitted BYEs. */
    private static final int UAS_TIME_WAIT_MS = 1000;
    /** How often {@link #awaitUasReceived} reads the UAS's trace. */
    private static final long TRACE_POLL_MS = 50;

    private final SippProcess uas;
    private final SippProcess uac;
    private final long startNanos;

    private SippPair(SippProcess uas, SippProcess uac, long startNanos) {
        this.uas = uas;
        this.uac = uac;
        this.startNanos = startNanos;
    }

    /**
     * Starts the UAS of {@code scenario/uas.xml} on {@code uasPort} (bounded by {@code uasTimeout},
     * time-wait 1 s), returns once it is bound, then starts the UAC of {@code scenario/uacXml}
     * sending to {@code proxyAddress} ("127.0.0.1:port") with {@code uacOptions}.
     */
    /** Caller options for one call that holds {@code holdMs} after its ACK, traced, bounded by {@code bound}. */
    static SippProcess.Options oneTracedCall(int holdMs, Duration bound) {
        return new SippProcess.Options().calls(1).holdMs(holdMs).timeout(bound).traceMessages(true);
    }

    static SippPair start(Path workDir, String scenario, String uacXml, String proxyAddress, int uasPort,
            SippProcess.Options uacOptions, Duration uasTimeout) {
        Path dir = E2eEnvironment.scenario(scenario);
        long start = System.nanoTime();
        SippProcess uas = SippProcess.startUas(workDir, dir, uasPort, new SippProcess.Options()
                .transport(uacOptions.transport).calls(uacOptions.calls).uasTimeWaitMs(UAS_TIME_WAIT_MS)
                .traceMessages(uacOptions.traceMessages).timeout(uasTimeout));
        try {
            return new SippPair(uas, SippProcess.startUac(workDir, dir, uacXml, proxyAddress, FreePorts.udpAndTcp(),
                    uacOptions), start);
        } catch (RuntimeException | Error e) {
            uas.close();
            throw e;
        }
    }

    /** How many {@code method} requests the UAS has received so far (its message trace). */
    int uasReceived(String method) {
        return SipTraces.received(uas.directory(), method).size();
    }

    /** What the UAC has sent and received so far (its message trace; the pair must trace). */
    List<SipMessageLog.Entry> uacMessages() {
        return SipMessageLog.parse(Texts.read(uac.directory().resolve("messages.log")));
    }

    /**
     * Waits until the UAS's trace shows {@code count} received {@code method} requests (SIPp writes
     * each message as it goes; the pair must trace); fails the test after {@code bound}.
     */
    void awaitUasReceived(String method, int count, Duration bound, SipedgeProcess proxy) {
        long deadline = System.nanoTime() + bound.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = uasReceived(method);
            if (seen >= count) {
                return;
            }
            try {
                Thread.sleep(TRACE_POLL_MS); // polling a file SIPp appends to; nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("within " + bound.toMillis() + " ms the UAS received " + seen + " " + method + ", not " + count
                + "\n--- proxy log (tail):\n" + proxy.logTail(20));
    }

    /** Waits up to {@code uacBound} for the UAC to exit, then up to {@code uasBound} for the UAS. */
    Ended awaitEnd(Duration uacBound, Duration uasBound) {
        SippResult uacResult = uac.awaitExit(uacBound);
        return new Ended(uacResult, uas.awaitExit(uasBound));
    }

    /** As {@link #awaitEnd(Duration, Duration)}, as a run through {@code proxy} (which must live on). */
    CallRun awaitEnd(Duration uacBound, Duration uasBound, SipedgeProcess proxy) {
        Ended ended = awaitEnd(uacBound, uasBound);
        return CallRun.of(ended.uac(), ended.uas(), proxy, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    @Override
    public void close() {
        try {
            uac.close();
        } finally {
            uas.close();
        }
    }

    /** What both SIPp runs left behind. */
    record Ended(SippResult uac, SippResult uas) {

        /** Both sides completed every one of {@code calls} calls; {@code proxyState} is added to failures. */
        void assertAllSucceeded(int calls, Supplier<String> proxyState) {
            Supplier<String> context = () -> uac.describe() + "\n" + uas.describe() + "\n" + proxyState.get();
            assertAll(
                    () -> assertEquals(0, uac.exitStatus(), () -> "UAC exit status\n" + context.get()),
                    () -> assertEquals(calls, uac.successful(), () -> "UAC successful calls\n" + context.get()),
                    () -> assertEquals(0, uac.failed(), () -> "UAC failed calls\n" + context.get()),
                    () -> assertEquals(0, uas.exitStatus(), () -> "UAS exit status\n" + context.get()),
                    () -> assertEquals(calls, uas.successful(), () -> "UAS successful calls\n" + context.get()),
                    () -> assertEquals(0, uas.failed(), () -> "UAS failed calls\n" + context.get()));
        }
    }
}

package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the dialog ping end-to-end tests share: a proxy config with short timers (T1 = 20 ms, so
 * 64*T1 = 1.28 s and ping intervals of a few seconds are accepted), and a SIPp pair whose both
 * sides trace every message ({@code -trace_msg}), so the tests can look at what the pings were
 * on the wire and a failure report shows it.
 */
final class DialogPingE2E {

    /** Timers short enough for ping intervals of seconds; the intervals must exceed 64*T1 = 1.28 s. */
    private static final String SHORT_TIMERS = "sipedge.transaction { t1 = 20ms, t2 = 160ms, t4 = 200ms, timer-c = 2s }\n";
    /** The UAS's time-wait after the call, for retransmitted BYEs. */
    private static final int UAS_TIME_WAIT_MS = 1000;
    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(10);

    private DialogPingE2E() {
    }

    /**
     * Proxy config: short timers, {@code sipedge.dialog { <globalDialog> }} (ping intervals,
     * failed-ping-limit), and one route to the UAS with {@code dialog { <routeDialog> }}.
     */
    static String config(String globalDialog, String routeDialog) {
        return SHORT_TIMERS + "sipedge.dialog { " + globalDialog + " }\n" + DialogE2E.trackedRoute(routeDialog);
    }

    /** The requests of {@code method} that {@code side} received, in order. */
    static List<SipMessageLog.Entry> received(SippResult side, String method) {
        return received(side.dir(), method);
    }

    private static List<SipMessageLog.Entry> received(Path sippDir, String method) {
        return SipMessageLog.parse(Texts.read(sippDir.resolve("messages.log"))).stream()
                .filter(e -> !e.sent() && e.isRequest(method)).toList();
    }

    /** The CSeq number of {@code message}. */
    static long cseqNumber(SipMessageLog.Entry message) {
        return Long.parseLong(cseq(message).split("\\s+")[0]);
    }

    /** The CSeq value of {@code message}, e.g. "2 INVITE". */
    static String cseq(SipMessageLog.Entry message) {
        List<String> values = message.header("cseq");
        return values.isEmpty() ? "" : values.get(0);
    }

    /**
     * A traced UAS of {@code scripts/sipp/<scenario>/uas.xml} on the port the proxy routes to and
     * a traced UAC of its {@code uac.xml} (or another file) sending to the proxy (one call, UDP). Closing stops both.
     */
    static final class TracedCall implements AutoCloseable {
        private final SipedgeProcess proxy;
        private final SippProcess uas;
        private final SippProcess uac;
        private final long startNanos;

        private TracedCall(SipedgeProcess proxy, SippProcess uas, SippProcess uac, long startNanos) {
            this.proxy = proxy;
            this.uas = uas;
            this.uac = uac;
            this.startNanos = startNanos;
        }

        /** {@code holdMs} is the UAC's {@code <pause/>} (sipp -d); both sides end by {@code bound}. */
        static TracedCall start(Path workDir, SipedgeProcess proxy, String scenario, int uasPort, int holdMs,
                Duration bound) {
            return start(workDir, proxy, scenario, "uac.xml", uasPort, holdMs, bound);
        }

        /** As {@link #start(Path, SipedgeProcess, String, int, int, Duration)}, the UAC playing {@code uacXml}. */
        static TracedCall start(Path workDir, SipedgeProcess proxy, String scenario, String uacXml, int uasPort,
                int holdMs, Duration bound) {
            Path dir = E2eEnvironment.scenario(scenario);
            long start = System.nanoTime();
            SippProcess uas = SippProcess.startUas(workDir, dir, uasPort, new SippProcess.Options()
                    .calls(1).uasTimeWaitMs(UAS_TIME_WAIT_MS).timeout(bound.plus(UAS_EXIT_BOUND))
                    .traceMessages(true));
            try {
                SippProcess uac = SippProcess.startUac(workDir, dir, uacXml, proxy.sipAddress(), FreePorts.udpAndTcp(),
                        new SippProcess.Options().calls(1).holdMs(holdMs).timeout(bound).traceMessages(true));
                return new TracedCall(proxy, uas, uac, start);
            } catch (RuntimeException | Error e) {
                uas.close();
                throw e;
            }
        }

        /**
         * Waits until the UAS's trace shows {@code count} received {@code method} requests (SIPp
         * writes each message as it goes); fails the test after {@code bound}.
         */
        void awaitUasReceived(String method, int count, Duration bound) {
            long deadline = System.nanoTime() + bound.toNanos();
            int seen = 0;
            while (System.nanoTime() < deadline) {
                seen = received(uas.directory(), method).size();
                if (seen >= count) {
                    return;
                }
                try {
                    Thread.sleep(50); // polling a file SIPp appends to; nothing to wait on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            fail("within " + bound.toMillis() + " ms the UAS received " + seen + " " + method + ", not " + count
                    + "\n--- proxy log (tail):\n" + proxy.logTail(20));
        }

        /** Waits up to {@code uacBound} for the UAC to end, then for the UAS. */
        CallRun awaitEnd(Duration uacBound) {
            SippResult uacResult = uac.awaitExit(uacBound);
            SippResult uasResult = uas.awaitExit(UAS_EXIT_BOUND);
            return CallRun.of(uacResult, uasResult, proxy, Duration.ofNanos(System.nanoTime() - startNanos));
        }

        @Override
        public void close() {
            try {
                uac.close();
            } finally {
                uas.close();
            }
        }
    }
}

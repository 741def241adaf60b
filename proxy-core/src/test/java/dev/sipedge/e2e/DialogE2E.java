package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the dialog end-to-end tests share: the dialog series of {@code /metrics}, the config of a
 * route that tracks dialogs, a one-scrape assertion, and {@link Calls}, a SIPp pair that runs
 * through the proxy while the test watches the proxy's metrics ({@link CallRun#run} returns
 * only once both sides have ended).
 */
final class DialogE2E {

    static final String ACTIVE = "sipedge_dialogs_active";
    static final String EARLY = "sipedge_dialogs_early";
    static final String PROCESSED = "sipedge_dialogs_processed_total";
    static final String FAILED = "sipedge_dialogs_failed_total";
    static final String EXPIRED = "sipedge_dialogs_expired_total";
    static final String UNMATCHED = "sipedge_dialogs_unmatched_requests_total";

    private DialogE2E() {
    }

    /**
     * Proxy config (for {@link SipedgeProcess#start(Path, int, String, String)}) whose only route
     * sends to the UAS with {@code dialog { <dialogSettings> }}, e.g. {@code "track = true"}.
     */
    static String trackedRoute(String dialogSettings) {
        return """
                sipedge.routes = [
                  { next-hop = "sip:127.0.0.1:@UAS_PORT@;transport=@UAS_TRANSPORT@", dialog { %s } }
                ]
                """.formatted(dialogSettings);
    }

    /** As {@link #trackedRoute(String)}, with {@code sipedge.dialog.match-mode = <matchMode>}. */
    static String trackedRoute(String matchMode, String dialogSettings) {
        return "sipedge.dialog.match-mode = " + matchMode + "\n" + trackedRoute(dialogSettings);
    }

    /** One scrape, now: every series of {@code expected} has exactly its value. */
    static void assertMetricsNow(SipedgeProcess proxy, Map<String, Double> expected, String when) {
        SipedgeProcess.Metrics now = proxy.scrapeMetrics();
        assertEquals(expected, now.values(expected.keySet()), when + ":\n" + now.lines("sipedge_dialog"));
    }

    /**
     * A UAS of {@code scripts/sipp/<scenario>} on the port the proxy routes to and a UAC sending
     * to the proxy, both started at once. Closing stops both; the proxy belongs to the caller.
     */
    static final class Calls implements AutoCloseable {

        /** The UAS's time-wait after each call, for retransmitted BYEs. */
        private static final int UAS_TIME_WAIT_MS = 1000;
        /** Time the UAS may still need once the UAC has ended. */
        private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(15);

        private final SipedgeProcess proxy;
        private final SippProcess uas;
        private final SippProcess uac;
        private final long startNanos;

        private Calls(SipedgeProcess proxy, SippProcess uas, SippProcess uac, long startNanos) {
            this.proxy = proxy;
            this.uas = uas;
            this.uac = uac;
            this.startNanos = startNanos;
        }

        /**
         * Starts the UAS (same transport and call count as {@code uacOptions}, bounded by
         * {@code uasTimeout}), then the UAC with {@code uacOptions}.
         */
        static Calls start(Path workDir, SipedgeProcess proxy, String scenario, int uasPort,
                SippProcess.Options uacOptions, Duration uasTimeout) {
            Path dir = E2eEnvironment.scenario(scenario);
            long start = System.nanoTime();
            SippProcess uas = SippProcess.startUas(workDir, dir, uasPort, new SippProcess.Options()
                    .transport(uacOptions.transport).calls(uacOptions.calls)
                    .uasTimeWaitMs(UAS_TIME_WAIT_MS).timeout(uasTimeout));
            try {
                SippProcess uac = SippProcess.startUac(workDir, dir, proxy.sipAddress(), FreePorts.udpAndTcp(),
                        uacOptions);
                return new Calls(proxy, uas, uac, start);
            } catch (RuntimeException | Error e) {
                uas.close();
                throw e;
            }
        }

        /** Waits up to {@code uacBound} for the UAC to end, then up to 15 s for the UAS. */
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

package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the dialog end-to-end tests share: the dialog series of {@code /metrics}, proxy configs
 * with a route that tracks dialogs, and a one-scrape assertion. The calls themselves run as a
 * {@link SippPair} while the test watches the proxy's metrics.
 */
final class DialogE2E {

    static final String ACTIVE = "sipedge_dialogs_active";
    static final String EARLY = "sipedge_dialogs_early";
    static final String PROCESSED = "sipedge_dialogs_processed_total";
    static final String FAILED = "sipedge_dialogs_failed_total";
    static final String EXPIRED = "sipedge_dialogs_expired_total";
    static final String UNMATCHED = "sipedge_dialogs_unmatched_requests_total";

    /** Timers short enough for ping intervals of seconds; the intervals must exceed 64*T1 = 1.28 s. */
    private static final String SHORT_TIMERS =
            "sipedge.transaction { t1 = 20ms, t2 = 160ms, t4 = 200ms, timer-c = 2s }\n";

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

    /**
     * As {@link #trackedRoute(String)}, with short transaction timers (T1 = 20 ms, so ping
     * intervals of a few seconds are accepted) and {@code sipedge.dialog { <globalDialog> }}
     * (ping intervals, failed-ping-limit).
     */
    static String shortTimerRoute(String globalDialog, String routeDialog) {
        return SHORT_TIMERS + "sipedge.dialog { " + globalDialog + " }\n" + trackedRoute(routeDialog);
    }

    /** One scrape, now: every series of {@code expected} has exactly its value. */
    static void assertMetricsNow(SipedgeProcess proxy, Map<String, Double> expected, String when) {
        SipedgeProcess.Metrics now = proxy.scrapeMetrics();
        assertEquals(expected, now.values(expected.keySet()), when + ":\n" + now.lines("sipedge_dialog"));
    }
}

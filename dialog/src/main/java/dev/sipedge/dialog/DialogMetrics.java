package dev.sipedge.dialog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The dialog statistics of DESIGN.md, named after the OpenSIPS ones they mirror. Gauges read the
 * shards' tables ({@link DialogTable}); counters are resolved once here, never per message.
 */
final class DialogMetrics {
    final Counter processed;
    final Counter expired;
    final Counter failed;
    final Counter unmatched;
    /** One counter per end cause, indexed by ordinal. */
    private final Counter[] ended;
    /** Requests the module sent itself, by kind. */
    final Counter byesSent;
    final Counter optionsPingsSent;
    final Counter reinvitePingsSent;
    final Counter pingsFailed;
    final Counter raceCleanups;

    DialogMetrics(MeterRegistry registry, List<DialogTracker> trackers, DialogProfiles profiles) {
        processed = Counter.builder("sipedge_dialogs_processed").description("Dialogs created since start")
                .register(registry);
        expired = Counter.builder("sipedge_dialogs_expired").description("Dialogs ended by their lifetime timeout")
                .register(registry);
        failed = Counter.builder("sipedge_dialogs_failed")
                .description("Dialogs ended without an answer (negative final response, CANCEL, no answer)")
                .register(registry);
        unmatched = Counter.builder("sipedge_dialogs_unmatched_requests")
                .description("In-dialog requests with our did cookie that matched no dialog (relayed anyway)")
                .register(registry);
        ended = new Counter[EndCause.values().length];
        for (EndCause cause : EndCause.values()) {
            ended[cause.ordinal()] = Counter.builder("sipedge_dialogs_ended")
                    .description("Dialogs ended, by cause").tag("cause", cause.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        byesSent = sent(registry, "bye");
        optionsPingsSent = sent(registry, "options_ping");
        reinvitePingsSent = sent(registry, "reinvite_ping");
        pingsFailed = Counter.builder("sipedge_dialog_pings_failed")
                .description("In-dialog pings that timed out or got 408 or 481").register(registry);
        raceCleanups = Counter.builder("sipedge_dialog_race_cleanups")
                .description("Calls left half-established by an RFC 5407 race that the module ended with BYEs")
                .register(registry);
        gauge(registry, "sipedge_dialogs_active", "Dialogs answered with a 2xx and not yet ended", trackers,
                t -> t.table().active());
        gauge(registry, "sipedge_dialogs_early", "Dialogs with a provisional response and no final one", trackers,
                t -> t.table().early());
        for (DialogProfile profile : profiles.all()) {
            Gauge.builder("sipedge_dialog_profile_size", profile, DialogProfile::size)
                    .description("Dialogs in a dialog profile (all values)")
                    .tag("profile", profile.name())
                    .register(registry);
        }
    }

    void ended(EndCause cause) {
        ended[cause.ordinal()].increment();
    }

    private static Counter sent(MeterRegistry registry, String kind) {
        return Counter.builder("sipedge_dialog_requests_sent").description("Requests the dialog module sent itself")
                .tag("kind", kind).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String help, List<DialogTracker> trackers,
                              ToIntFunction<DialogTracker> count) {
        Gauge.builder(name, trackers, ts -> {
            long sum = 0;
            for (DialogTracker t : ts) {
                sum += count.applyAsInt(t);
            }
            return sum;
        }).description(help).register(registry);
    }
}

package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One end-of-call record per dialog, logged at INFO on the logger {@value #LOGGER} when the dialog
 * ends (failed, terminated by a BYE or by the module, or timed out): the raw material of CDRs that
 * Kamailio and OpenSIPS operators build with {@code acc} and scripts. The fields are SLF4J key-value
 * pairs, so a JSON encoder writes them as fields; register with {@link DialogModule#addListener}.
 *
 * <table>
 * <caption>Fields</caption>
 * <tr><td>{@code call-id}, {@code dialog-id}</td><td>the Call-ID and the did</td></tr>
 * <tr><td>{@code from}, {@code to}</td><td>the From and To URIs of the initial INVITE</td></tr>
 * <tr><td>{@code source}</td><td>the caller's address (ip:port), as last seen</td></tr>
 * <tr><td>{@code start}, {@code answer}, {@code end}</td><td>ISO-8601 UTC times of the INVITE, the
 *     2xx (absent for calls never answered) and the end</td></tr>
 * <tr><td>{@code duration}</td><td>seconds from answer to end (ms precision); 0 when unanswered</td></tr>
 * <tr><td>{@code end-cause}</td><td>{@link EndCause}, as the {@code cause} label of
 *     {@code sipedge_dialogs_ended_total} (caller_bye, no_ack, ...)</td></tr>
 * <tr><td>{@code status}</td><td>the final response of a failed call (absent otherwise)</td></tr>
 * <tr><td>{@code profiles}</td><td>{@code name=value} (or {@code name}) of each profile, comma-separated</td></tr>
 * </table>
 * Each dialog ends exactly once (one of {@code onFailed}, {@code onTerminated}, {@code onExpired}),
 * so it gets exactly one record; with the logger off nothing is built.
 */
public final class CallRecords implements DialogListener {
    /** The logger's name: configure it in logback (level, appender, JSON) apart from the rest. */
    public static final String LOGGER = "sipedge.cdr";

    private final Logger log;
    private final LongSupplier wallClock;

    public CallRecords() {
        this(LoggerFactory.getLogger(LOGGER), System::currentTimeMillis);
    }

    /**
     * Records on {@code log}, with {@code wallClock} (epoch milliseconds) giving each record's end:
     * the start-up warm-up's records go to a logger of their own, and nowhere from there.
     */
    public CallRecords(Logger log, LongSupplier wallClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    @Override
    public void onFailed(Dialog dialog, SIPResponse response) {
        record(dialog, response == null ? 0 : response.getStatusCode());
    }

    @Override
    public void onTerminated(Dialog dialog, SIPRequest bye) {
        record(dialog, 0);
    }

    @Override
    public void onExpired(Dialog dialog) {
        record(dialog, 0);
    }

    private void record(Dialog d, int failureStatus) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long end = wallClock.getAsLong();
        long answer = d.answeredAtMillis();
        LoggingEventBuilder e = log.atInfo()
                .addKeyValue("call-id", d.callId())
                .addKeyValue("dialog-id", d.id())
                .addKeyValue("from", d.caller().uri())
                .addKeyValue("to", d.inviteTo())
                .addKeyValue("source", address(d.caller()))
                .addKeyValue("start", IsoMillis.format(d.createdAtMillis()));
        if (answer != 0) {
            e = e.addKeyValue("answer", IsoMillis.format(answer));
        }
        e = e.addKeyValue("end", IsoMillis.format(end))
                .addKeyValue("duration", answer == 0 ? 0.0 : Math.max(0, end - answer) / 1000.0)
                .addKeyValue("end-cause", cause(d));
        if (failureStatus != 0) {
            e = e.addKeyValue("status", failureStatus);
        }
        e.addKeyValue("profiles", profiles(d)).log("call ended");
    }

    private static String cause(Dialog d) {
        return d.endCause() == null ? "unknown" : d.endCause().name().toLowerCase(Locale.ROOT);
    }

    private static String address(Leg caller) {
        InetSocketAddress remote = caller.flow() == null ? null : caller.flow().remote();
        return remote == null ? "" : remote.getHostString() + ":" + remote.getPort();
    }

    private static String profiles(Dialog d) {
        List<ProfileMemberships.Membership> memberships = d.memberships();
        if (memberships.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (ProfileMemberships.Membership m : memberships) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(m.profile().name());
            if (m.value() != null) {
                sb.append('=').append(m.value());
            }
        }
        return sb.toString();
    }
}

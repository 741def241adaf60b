package dev.sipedge.dialog;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * The part of {@code sipedge.dialog} that governs the requests the module sends itself: BYEs,
 * OPTIONS and re-INVITE pings, and the RFC 5407 race clean-up.
 *
 * @param optionsPingInterval  time between OPTIONS pings to a leg
 * @param reinvitePingInterval time between re-INVITE pings to a leg
 * @param failedPingLimit      consecutive pings that time out (or get 408) before the dialog is
 *                             ended; a 481 ends it at once
 * @param extraHeaders         whole header lines added to every request the module sends
 * @param byeCseqGap           added to "one above the highest CSeq sent toward the leg" for BYEs
 * @param endOnRaceCondition   end half-established dialogs of RFC 5407 races
 * @param raceConditionTimeout how long the UAs get to clear such a race themselves
 */
public record DialogRequestSettings(Duration optionsPingInterval, Duration reinvitePingInterval, int failedPingLimit,
                                    List<String> extraHeaders, long byeCseqGap, boolean endOnRaceCondition,
                                    Duration raceConditionTimeout) {

    public DialogRequestSettings {
        extraHeaders = List.copyOf(extraHeaders);
        requirePositive(optionsPingInterval, "options-ping-interval");
        requirePositive(reinvitePingInterval, "reinvite-ping-interval");
        requirePositive(raceConditionTimeout, "race-condition-timeout");
        if (failedPingLimit < 1) {
            throw new IllegalArgumentException("sipedge.dialog.failed-ping-limit must be at least 1: " + failedPingLimit);
        }
        if (byeCseqGap < 0 || byeCseqGap > 1_000_000) {
            throw new IllegalArgumentException("sipedge.dialog.bye-cseq-gap must be between 0 and 1000000: " + byeCseqGap);
        }
        for (String h : extraHeaders) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.indexOf('\r') >= 0 || h.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("sipedge.dialog.extra-headers entries must be one 'Name: value' line: " + h);
            }
        }
    }

    /** The shipped defaults (reference.conf). */
    public static DialogRequestSettings defaults() {
        return new DialogRequestSettings(Duration.ofSeconds(40), Duration.ofSeconds(300), 1, List.of(), 0, false,
                Duration.ofSeconds(5));
    }

    static DialogRequestSettings from(Config c) {
        return new DialogRequestSettings(c.getDuration("options-ping-interval"), c.getDuration("reinvite-ping-interval"),
                c.getInt("failed-ping-limit"), c.getStringList("extra-headers"), c.getLong("bye-cseq-gap"),
                c.getBoolean("end-on-race-condition"), c.getDuration("race-condition-timeout"));
    }

    /**
     * Refuses a ping interval that is not longer than the transaction that carries the ping, for
     * the kinds of ping some route uses (an interval nobody uses is not checked). Both kinds need
     * more than 64*T1 (Timer F for OPTIONS, Timer B for a re-INVITE): a re-INVITE ping that rings
     * longer (up to Timer C) holds back the leg's next round instead, as {@link DialogPinger}
     * skips a leg whose previous ping is still pending.
     */
    public void checkAgainst(Duration sixtyFourT1, boolean optionsPings, boolean reinvitePings) {
        if (optionsPings && optionsPingInterval.compareTo(sixtyFourT1) <= 0) {
            throw new IllegalArgumentException("sipedge.dialog.options-ping-interval: a route pings with OPTIONS, so it"
                    + " must be longer than the non-INVITE transaction timeout 64*T1 (" + text(sixtyFourT1) + "), got "
                    + text(optionsPingInterval));
        }
        if (reinvitePings && reinvitePingInterval.compareTo(sixtyFourT1) <= 0) {
            throw new IllegalArgumentException("sipedge.dialog.reinvite-ping-interval: a route pings with re-INVITEs,"
                    + " so it must be longer than Timer B 64*T1 (" + text(sixtyFourT1) + "), got "
                    + text(reinvitePingInterval));
        }
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    public DialogRequestSettings withPingIntervals(Duration options, Duration reinvite) {
        return new DialogRequestSettings(options, reinvite, failedPingLimit, extraHeaders, byeCseqGap,
                endOnRaceCondition, raceConditionTimeout);
    }

    public DialogRequestSettings withFailedPingLimit(int limit) {
        return new DialogRequestSettings(optionsPingInterval, reinvitePingInterval, limit, extraHeaders, byeCseqGap,
                endOnRaceCondition, raceConditionTimeout);
    }

    public DialogRequestSettings withExtraHeaders(List<String> headers, long cseqGap) {
        return new DialogRequestSettings(optionsPingInterval, reinvitePingInterval, failedPingLimit, headers, cseqGap,
                endOnRaceCondition, raceConditionTimeout);
    }

    public DialogRequestSettings withRaceCondition(boolean end, Duration timeout) {
        return new DialogRequestSettings(optionsPingInterval, reinvitePingInterval, failedPingLimit, extraHeaders,
                byeCseqGap, end, timeout);
    }

    private static void requirePositive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("sipedge.dialog." + key + " must be positive, got "
                    + (d == null ? null : text(d)));
        }
    }
}

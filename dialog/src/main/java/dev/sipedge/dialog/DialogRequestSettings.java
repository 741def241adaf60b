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
            throw new IllegalArgumentException("dialog.failed-ping-limit must be at least 1: " + failedPingLimit);
        }
        if (byeCseqGap < 0 || byeCseqGap > 1_000_000) {
            throw new IllegalArgumentException("dialog.bye-cseq-gap must be between 0 and 1000000: " + byeCseqGap);
        }
        for (String h : extraHeaders) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.indexOf('\r') >= 0 || h.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("dialog.extra-headers entries must be one 'Name: value' line: " + h);
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
     * Refuses ping intervals that are not longer than the transaction that carries the ping
     * ({@code nonInviteTimeout}: Timer F, {@code inviteTimeout}: the longer of Timer B and Timer C), so that a ping has always
     * ended, one way or the other, before the next is due.
     */
    public void checkAgainst(Duration nonInviteTimeout, Duration inviteTimeout) {
        if (optionsPingInterval.compareTo(nonInviteTimeout) <= 0) {
            throw new IllegalArgumentException("sipedge.dialog.options-ping-interval (" + optionsPingInterval
                    + ") must be longer than the non-INVITE transaction timeout 64*T1 (" + nonInviteTimeout + ")");
        }
        if (reinvitePingInterval.compareTo(inviteTimeout) <= 0) {
            throw new IllegalArgumentException("sipedge.dialog.reinvite-ping-interval (" + reinvitePingInterval
                    + ") must be longer than the INVITE transaction timeout (64*T1, or Timer C once it rings: "
                    + inviteTimeout + ")");
        }
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
            throw new IllegalArgumentException("dialog." + key + " must be positive: " + d);
        }
    }
}

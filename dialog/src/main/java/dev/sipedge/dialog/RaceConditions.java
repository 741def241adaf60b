package dev.sipedge.dialog;

import io.netty.util.Timer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * RFC 5407 clean-up ({@code end-on-race-condition}). Two races leave a call half-established when
 * a UA does not finish it the way RFC 5407 says:
 * <ul>
 * <li>a 2xx crossed the caller's CANCEL (§3.1.2): the caller should ACK and BYE it;</li>
 * <li>the caller's BYE on an early dialog crossed the callee's 2xx (§3.2.2): the callee thinks the
 *     call is up, the dialog has ended here.</li>
 * </ul>
 * Such a dialog gets {@code race-condition-timeout} for a BYE of the UAs; after that the module
 * sends BYE to both legs itself (end cause {@link EndCause#RACE_CONDITION}).
 */
final class RaceConditions {
    private final DialogTracker tracker;
    private final Timer timer;
    private final Executor shard;
    private final boolean enabled;
    private final long timeoutMillis;

    RaceConditions(DialogTracker tracker, Timer timer, Executor shard, DialogRequestSettings settings) {
        this.tracker = tracker;
        this.timer = timer;
        this.shard = shard;
        this.enabled = settings.endOnRaceCondition();
        this.timeoutMillis = settings.raceConditionTimeout().toMillis();
    }

    private RaceWatch watch(Dialog d) {
        if (d.race == null) {
            d.race = new RaceWatch();
        }
        return d.race;
    }

    /** The caller CANCELled the dialog's INVITE. */
    void cancelled(Dialog d) {
        if (enabled && d.state != DialogState.ENDED) {
            watch(d).cancelled = true;
        }
    }

    /** A 2xx went to the caller; if it crossed a CANCEL, the UAs get the timeout to clear the call. */
    void answered(Dialog d) {
        if (d.race != null && d.race.cancelled) {
            arm(d);
        }
    }

    /**
     * A BYE ended the dialog while early. True when the dialog is held (not freed) for the
     * timeout, in case a 2xx crossed the BYE.
     */
    boolean endedByEarlyBye(Dialog d) {
        if (!enabled) {
            return false;
        }
        watch(d).earlyBye = true;
        arm(d);
        return true;
    }

    /** True when a 2xx for an already ended dialog is the 2xx that crossed its early BYE. */
    boolean crossedEarlyBye(Dialog d) {
        return d.race != null && d.race.earlyBye && !d.destroyed;
    }

    /** That 2xx reached the caller: the call is up at both UAs. */
    void answeredAfterBye(Dialog d) {
        d.race.answeredAfterBye = true;
    }

    /** A BYE for a dialog under watch: the UAs clear it themselves. */
    void byeSeen(Dialog d) {
        if (d.race != null) {
            d.race.clearedByUas = true;
        }
    }

    private void arm(Dialog d) {
        if (d.race.armed) {
            return;
        }
        d.race.armed = true;
        timer.newTimeout(t -> shard.execute(() -> fired(d)), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    void fired(Dialog d) {
        if (d.destroyed) {
            return;
        }
        RaceWatch race = d.race;
        if (race.earlyBye) {
            if (race.answeredAfterBye && !race.clearedByUas && d.callee() != null) {
                tracker.ender().byeEnded(d, EndCause.RACE_CONDITION);
            } else {
                tracker.finish(d);
            }
            return;
        }
        if (d.state == DialogState.CONFIRMED_NA || d.state == DialogState.CONFIRMED) {
            tracker.terminate(d, EndCause.RACE_CONDITION);
        }
    }
}

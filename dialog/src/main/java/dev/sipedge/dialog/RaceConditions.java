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
    /** What the watch asks of the dialog's lifecycle when its timeout fires. */
    interface Actions {
        /** A confirmed dialog the UAs did not clear (or whose end was asked for): end it with BYEs. */
        void raceUnresolved(Dialog d, EndCause cause);

        /** An ended dialog whose 2xx crossed the early BYE: BYE both legs, then free it. */
        void byeBoth(Dialog d, EndCause cause);

        /** Nothing left to clear: free the ended dialog. */
        void raceOver(Dialog d);
    }

    private final Timer timer;
    private final DialogMetrics metrics;
    private final Actions actions;
    private final Executor shard;
    private final boolean enabled;
    private final long timeoutMillis;

    RaceConditions(Timer timer, Executor shard, DialogRequestSettings settings, DialogMetrics metrics, Actions actions) {
        this.metrics = metrics;
        this.actions = actions;
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

    /** The caller CANCELled the dialog's INVITE (before or after the 2xx went up: they crossed either way). */
    void cancelled(Dialog d) {
        if (enabled && d.state != DialogState.ENDED) {
            watch(d).cancelled = true;
            if (d.answered()) {
                arm(d);
            }
        }
    }

    /**
     * A 2xx went to the caller. If it crossed a CANCEL, the UAs get the timeout to clear the call.
     * If it overtook the module's own CANCEL (an operator ended the early dialog), the end is
     * carried out with BYEs once the caller ACKs, or after the timeout without an ACK. This does
     * not depend on {@code end-on-race-condition}: the end was asked for.
     */
    void answered(Dialog d) {
        if (d.requestedCause != null) {
            watch(d).endWanted = d.requestedCause;
            d.requestedCause = null;     // a BYE of the UAs from now on is theirs, not the operator's
            arm(d);
        } else if (d.race != null && d.race.cancelled) {
            arm(d);
        }
    }

    /** The ACK confirmed the dialog: an end that was asked for goes out now, after the ACK is relayed. */
    void confirmed(Dialog d) {
        if (d.race != null && d.race.endWanted != null) {
            shard.execute(() -> fired(d));
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
                // Counted here: the dialog itself was counted when the early BYE ended it.
                metrics.raceCleanups.increment();
                actions.byeBoth(d, EndCause.RACE_CONDITION);
            } else {
                actions.raceOver(d);
            }
            return;
        }
        if (d.state == DialogState.CONFIRMED_NA || d.state == DialogState.CONFIRMED) {
            if (race.endWanted == null) {
                metrics.raceCleanups.increment();
            }
            actions.raceUnresolved(d, race.endWanted != null ? race.endWanted : EndCause.RACE_CONDITION);
        }
    }
}

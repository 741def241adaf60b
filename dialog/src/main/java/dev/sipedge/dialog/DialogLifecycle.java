package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one place where a dialog of a shard changes: {@link #apply} runs the transition table
 * ({@link DialogTransitions#next}) and then every effect of the transition, in this order — the
 * table and its gauges, the bookkeeping fields, the lifetime timer, the pings, the store, the
 * counters, the listeners, the RFC 5407 watch, and the freeing (now, after the delete delay, or
 * once the module's own BYEs are done). Durable changes that are not state changes (a CSeq, a
 * target, the SDP, values, flags, profiles, the lifetime) reach the store through {@link #changed}.
 *
 * <p>Like a transaction of {@code FsmTransaction}, the lifecycle owns its timers: the lifetime and
 * delete delay ({@link DialogTimeouts}), the pings ({@link DialogPinger}) and the RFC 5407 watch
 * ({@link RaceConditions}) fire back into it as events; none of them changes a dialog itself.
 * Everything runs on the shard's executor.
 *
 * <p>Words: a dialog <em>ends</em> when it reaches {@link DialogState#ENDED} (any cause); the
 * module <em>terminates</em> it when it ends it itself, with BYEs or a CANCEL; it is <em>freed</em>
 * when it leaves the table (listeners hear {@code onDestroyed}).
 */
final class DialogLifecycle implements DialogTimeouts.Expiry, DialogPinger.Outcomes, RaceConditions.Actions {
    private final DialogTable table;
    private final DialogTransactions transactions;
    private final DialogEvents events;
    private final DialogMetrics metrics;
    private final Supplier<DurableChanges> durable;
    private final DialogEnder ender;
    private final Duration deleteDelay;
    private final LongSupplier wallClock;
    private final DialogTimeouts timeouts;
    private final DialogPinger pinger;
    private final RaceConditions races;

    /**
     * @param durable   where durable changes go (read at each change: persistence is connected after
     *                  the trackers exist)
     * @param wallClock epoch milliseconds, for the answer time a call record shows
     */
    DialogLifecycle(DialogTable table, DialogTransactions transactions, DialogEvents events, DialogMetrics metrics,
                    Supplier<DurableChanges> durable, DialogEnder ender, DialogSettings settings, Timer timer,
                    Executor shard, LongSupplier nanoClock, LongSupplier wallClock, InDialogRequests requests,
                    Supplier<DialogRequestSender> sender) {
        this.table = table;
        this.transactions = transactions;
        this.events = events;
        this.metrics = metrics;
        this.durable = durable;
        this.ender = ender;
        this.deleteDelay = settings.deleteDelay();
        this.wallClock = wallClock;
        this.timeouts = new DialogTimeouts(timer, shard, nanoClock, settings.resetTimeoutOnSequential(),
                settings.noAckTimeout(), this);
        this.pinger = new DialogPinger(timer, shard, requests, settings.requests(), metrics, sender, this);
        this.races = new RaceConditions(timer, shard, settings.requests(), metrics, this);
    }

    // ---- the step ----

    /**
     * Applies {@code event} to {@code d} with all its effects. {@code cause} is the end cause when
     * the event ends the dialog; {@code message} is what caused it (the response or request the
     * listeners receive; null for timers and the module's own decisions). True when the state
     * changed.
     */
    boolean apply(Dialog d, DialogEvent event, EndCause cause, SIPMessage message) {
        return step(d, event, cause, message, false);
    }

    /** @param byModule the module ends the dialog itself ({@link #terminate}): its BYEs may be pending */
    private boolean step(Dialog d, DialogEvent event, EndCause cause, SIPMessage message, boolean byModule) {
        DialogState from = d.state;
        DialogState to = DialogTransitions.next(from, event);
        if (to == from) {
            return false;
        }
        table.setState(d, to);
        switch (to) {
            case EARLY -> events.fire(d, "early", l -> l.onEarly(d, (SIPResponse) message));
            case CONFIRMED_NA -> {
                d.answered(wallClock.getAsLong());
                timeouts.answered(d);
                durable.get().changed(d);
                events.fire(d, "answered", l -> l.onAnswered(d, (SIPResponse) message));
                races.answered(d);
            }
            case CONFIRMED -> {
                timeouts.acked(d);
                events.fire(d, "confirmed", l -> l.onConfirmed(d, (SIPRequest) message));
                pinger.start(d);
                races.confirmed(d);
            }
            case ENDED -> ended(d, from, event, cause, message, byModule);
            default -> throw new IllegalStateException("no transition leads to " + to);
        }
        return true;
    }

    private void ended(Dialog d, DialogState from, DialogEvent event, EndCause cause, SIPMessage message,
                       boolean byModule) {
        durable.get().ended(d);
        d.endCause = d.requestedCause != null ? d.requestedCause : cause;
        metrics.ended(d.endCause);
        timeouts.cancel(d);
        pinger.stop(d);
        if (cause == EndCause.FAILED || cause == EndCause.NOT_ANSWERED || !d.answered()) {
            // DESIGN.md: failed = ended without being answered, which includes a BYE on an early dialog.
            metrics.failed.increment();
        } else if (cause == EndCause.EXPIRED) {
            metrics.expired.increment();
        }
        switch (event) {
            case FAILURE -> events.fire(d, "failed", l -> l.onFailed(d, (SIPResponse) message));
            case TRANSACTION_GONE -> events.fire(d, "failed", l -> l.onFailed(d, null));
            case TIMEOUT -> events.fire(d, "expired", l -> l.onExpired(d));
            case BYE, LOCAL_END -> events.fire(d, "terminated", l -> l.onTerminated(d, (SIPRequest) message));
            default -> throw new IllegalStateException(event + " cannot end a dialog");
        }
        if (byModule) {
            // The call is over for the profiles now, not when a dead leg's BYE finally times out;
            // the listeners above still saw its memberships, as they do for a BYE from a UA.
            d.leaveProfiles();
            if (d.pendingByes > 0) {
                return;     // freed when the module's BYEs are done
            }
        }
        if (event == DialogEvent.BYE && (from == DialogState.UNCONFIRMED || from == DialogState.EARLY)
                && races.endedByEarlyBye(d)) {
            return;     // held for the race timeout: a 2xx may have crossed the BYE
        }
        free(d);
    }

    /**
     * The module ends {@code d} (operator, bye-on-timeout, failed pings, races): BYE to both legs
     * when confirmed, CANCEL toward the callee when early (the 487 then ends it as any failure).
     * False when it had ended already, or has nothing to end yet.
     */
    boolean terminate(Dialog d, EndCause cause, OperatorEnd how) {
        switch (d.state) {
            case UNCONFIRMED, EARLY -> {
                if (d.initialInvite == null || d.requestedCause != null) {
                    return false;
                }
                d.requestedCause = cause;
                if (!ender.cancel(d.initialInvite)) {
                    d.requestedCause = null;
                    return false;
                }
                return true;
            }
            case CONFIRMED_NA, CONFIRMED -> {
                String reason = how == null ? cause.reasonHeader() : how.reasonHeader();
                List<String> headers = how == null ? List.of() : how.headers();
                SIPRequest[] byes = ender.byes(d, reason, headers);
                d.pendingByes = DialogEnder.count(byes);
                step(d, cause.timeout() ? DialogEvent.TIMEOUT : DialogEvent.LOCAL_END, cause, null, true);
                ender.send(d, byes, () -> byeDone(d));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void byeDone(Dialog d) {
        if (d.pendingByes > 0 && --d.pendingByes == 0) {
            free(d);
        }
    }

    /** Frees an ended dialog now, or after the delete delay (it stays matchable, read-only, till then). */
    void free(Dialog d) {
        if (deleteDelay.isZero()) {
            freeNow(d);
        } else {
            timeouts.freeLater(d, deleteDelay);
        }
    }

    private void freeNow(Dialog d) {
        if (table.bySequence(d.sequence) != d) {
            return;
        }
        table.remove(d);
        transactions.forget(d);
        d.destroyed = true;
        d.leaveProfiles();
        events.fire(d, "destroyed", l -> l.onDestroyed(d));
    }

    // ---- what is not a state change ----

    /** A new dialog enters the shard's table (its initial INVITE is about to be relayed). */
    void created(Dialog d, SIPRequest invite) {
        table.add(d);
        metrics.processed.increment();
        events.fire(d, "created", l -> l.onCreated(d, invite));
    }

    /** An answered dialog's durable data changed (CSeqs, targets, SDP, values, flags, profiles, pings). */
    void changed(Dialog d) {
        if (d.state.isActive() && !d.destroyed) {
            durable.get().changed(d);
        }
    }

    /** A new lifetime, counted from now once answered (before that it applies at the 2xx). */
    void lifetime(Dialog d, Duration lifetime) {
        d.lifetimeMillis = lifetime.toMillis();
        if (d.state.isActive()) {
            timeouts.restart(d);
        }
        changed(d);
    }

    /** A sequential request passed: the lifetime counts again (unless configured otherwise). */
    void touched(Dialog d) {
        timeouts.touch(d);
    }

    /** Time until {@code d} ends on its own. */
    Duration timeLeft(Dialog d) {
        return timeouts.timeLeft(d);
    }

    /**
     * A stored dialog comes back (persistence, before traffic): into the table in its stored
     * state, its deadline {@code leftMillis} away (zero or less: it expires just after), its pings
     * re-armed when confirmed. Nothing is written back: the store has it.
     */
    void restored(Dialog d, DialogState state, long leftMillis) {
        d.state = state;
        table.add(d);
        timeouts.resume(d, leftMillis);
        if (state == DialogState.CONFIRMED) {
            pinger.start(d);
        }
    }

    // ---- RFC 5407 bookkeeping the request and response paths report ----

    void cancelled(Dialog d) {
        races.cancelled(d);
    }

    boolean crossedEarlyBye(Dialog d) {
        return races.crossedEarlyBye(d);
    }

    void answeredAfterBye(Dialog d) {
        races.answeredAfterBye(d);
    }

    void byeAfterEnd(Dialog d) {
        races.byeSeen(d);
    }

    // ---- events from the timers ----

    @Override
    public void lifetimeOver(Dialog d) {
        timedOut(d, EndCause.EXPIRED);
    }

    @Override
    public void ackMissing(Dialog d) {
        // A 2xx never ACKed ends the dialog as a timeout, as Kamailio's does.
        timedOut(d, EndCause.NO_ACK);
    }

    /** With bye-on-timeout both legs get a BYE (the callee thinks the call is up, the caller may too). */
    private void timedOut(Dialog d, EndCause cause) {
        if (d.options.byeOnTimeout()) {
            terminate(d, cause, null);
        } else {
            apply(d, DialogEvent.TIMEOUT, cause, null);
        }
    }

    @Override
    public void deleteDelayOver(Dialog d) {
        freeNow(d);
    }

    @Override
    public void pingsFailed(Dialog d, EndCause cause) {
        terminate(d, cause, null);
    }

    @Override
    public void pinged(Dialog d) {
        changed(d);
    }

    @Override
    public void raceUnresolved(Dialog d, EndCause cause) {
        terminate(d, cause, null);
    }

    @Override
    public void byeBoth(Dialog d, EndCause cause) {
        // Ended here already, not at the UAs (a 2xx crossed the caller's early BYE): BYE both legs.
        d.endCause = cause;
        SIPRequest[] byes = ender.byes(d, cause.reasonHeader(), List.of());
        d.pendingByes = DialogEnder.count(byes);
        if (d.pendingByes == 0) {
            free(d);
            return;
        }
        ender.send(d, byes, () -> byeDone(d));
    }

    @Override
    public void raceOver(Dialog d) {
        free(d);
    }
}

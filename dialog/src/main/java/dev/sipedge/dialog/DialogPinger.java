package dev.sipedge.dialog;

import dev.sipedge.transaction.EndReason;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-dialog pings that find dead calls (OpenSIPS's dialog flags P/p and R/r, Kamailio's
 * {@code dlg_set_ka}). Each pinged leg of a confirmed dialog has one timer entry; when it fires,
 * a ping goes out unless one to the same leg is still pending or a relayed INVITE transaction is
 * open on the dialog (that round is skipped). A re-INVITE ping toward one leg does not hold back
 * the other leg's: they are different INVITE sessions of the two UAs, with no glare between them.
 *
 * <ul>
 * <li>OPTIONS pings use a CSeq just below the highest sent toward the leg: a UA that knows the
 *     dialog answers 200 or 500 (out of order), one that lost it answers 481; its CSeq space is
 *     untouched, so relayed requests are never rewritten for them.</li>
 * <li>re-INVITE pings carry the last SDP the leg received and the other leg's Contact, use the
 *     next CSeq, and are ACKed here; from the first one on, requests relayed toward the leg are
 *     shifted ({@link Leg#cseqShift()}).</li>
 * </ul>
 * A 481 ends the dialog at once; a timeout or 408 counts, and {@code failed-ping-limit} of them in
 * a row end it. Any other answer proves the leg alive. The outcome is acted on when the
 * transaction reports it, not at the next tick.
 */
final class DialogPinger {
    private static final Logger log = LoggerFactory.getLogger(DialogPinger.class);

    /** What the pings report to the dialog's lifecycle. */
    interface Outcomes {
        /** A ping changed durable data (a re-INVITE's CSeq and shift, a failure count). */
        void pinged(Dialog d);

        /** The leg is dead (481, or failed-ping-limit failures in a row): the dialog ends with {@code cause}. */
        void pingsFailed(Dialog d, EndCause cause);
    }

    private final Timer timer;
    private final Executor shard;
    private final InDialogRequests requests;
    private final DialogRequestSettings settings;
    private final DialogMetrics metrics;
    private final Supplier<DialogRequestSender> sender;
    private final Outcomes outcomes;

    DialogPinger(Timer timer, Executor shard, InDialogRequests requests, DialogRequestSettings settings,
                 DialogMetrics metrics, Supplier<DialogRequestSender> sender, Outcomes outcomes) {
        this.metrics = metrics;
        this.sender = sender;
        this.outcomes = outcomes;
        this.timer = timer;
        this.shard = shard;
        this.requests = requests;
        this.settings = settings;
    }

    /** The dialog is confirmed (ACK seen): the pinged legs get their first timer. */
    void start(Dialog d) {
        if (d.options.pingCaller() != PingMode.NONE) {
            arm(d, d.caller());
        }
        if (d.options.pingCallee() != PingMode.NONE && d.callee() != null) {
            arm(d, d.callee());
        }
    }

    /** The dialog ended: no more pings. */
    void stop(Dialog d) {
        cancel(d.caller());
        cancel(d.callee());
    }

    private static void cancel(Leg leg) {
        if (leg != null && leg.ping != null && leg.ping.timer != null) {
            leg.ping.timer.cancel();
            leg.ping.timer = null;
        }
    }

    private PingMode modeOf(Dialog d, Leg leg) {
        return leg == d.caller() ? d.options.pingCaller() : d.options.pingCallee();
    }

    private void arm(Dialog d, Leg leg) {
        if (leg.ping == null) {
            leg.ping = new LegPing();
        }
        long interval = (modeOf(d, leg) == PingMode.REINVITE ? settings.reinvitePingInterval()
                : settings.optionsPingInterval()).toMillis();
        leg.ping.timer = timer.newTimeout(t -> shard.execute(() -> due(d, leg, t)), interval, TimeUnit.MILLISECONDS);
    }

    void due(Dialog d, Leg leg, Timeout which) {
        if (leg.ping == null || leg.ping.timer != which || d.state != DialogState.CONFIRMED || d.destroyed
                || (leg != d.caller() && leg != d.callee())) {
            return;     // stale: stopped, re-armed, or the dialog is over
        }
        arm(d, leg);
        if (leg.ping.pending || d.openInvites > 0) {
            return;     // this round is skipped: a ping may ring (up to Timer C) past the next round
        }
        Leg other = leg == d.caller() ? d.callee() : d.caller();
        // No SDP to resend, or a CSeq space used up: an OPTIONS ping still finds a dead leg.
        boolean reinvite = modeOf(d, leg) == PingMode.REINVITE && leg.lastSdp() != null
                && leg.cseqTo() < CseqShift.MAX_CSEQ;
        SIPRequest ping;
        try {
            if (reinvite) {
                long cseq = leg.cseqTo() + 1;
                ping = requests.build(d, leg, other, InDialogRequests.Spec.reinvite(cseq,
                        other.hasRemoteTarget() ? other.remoteTarget() : other.uri(), leg.lastSdp()));
                leg.sentTo(cseq);
                leg.shiftForPing();
                outcomes.pinged(d);
            } else {
                ping = requests.build(d, leg, other, InDialogRequests.Spec.options(Math.max(0, leg.cseqTo() - 1)));
            }
        } catch (RuntimeException e) {
            log.warn("cannot build ping toward {} of {}: {}", leg, d, e.toString());
            return;
        }
        leg.ping.pending = true;
        leg.ping.sent++;
        (reinvite ? metrics.reinvitePingsSent : metrics.optionsPingsSent).increment();
        PingReply reply = new PingReply(d, leg, reinvite, ping.getCSeq().getSeqNumber());
        try {
            sender.get().send(ping, InDialogRequests.nextHop(leg), reply);
        } catch (RuntimeException e) {
            log.warn("ping toward {} of {} not sent: {}", leg, d, e.toString());
            reply.onEnd(EndReason.TRANSPORT_ERROR, false);
        }
    }

    private final class PingReply implements DialogRequestSender.Reply {
        private final Dialog dialog;
        private final Leg leg;
        private final boolean invite;
        private final long cseq;
        private boolean done;

        PingReply(Dialog dialog, Leg leg, boolean invite, long cseq) {
            this.dialog = dialog;
            this.leg = leg;
            this.invite = invite;
            this.cseq = cseq;
        }

        @Override
        public void onResponse(SIPResponse response) {
            int status = response.getStatusCode();
            if (status < 200) {
                return;
            }
            if (invite && status < 300) {
                ackSuccess(response);     // every 2xx, also a retransmission whose ACK was lost
            }
            if (!done) {
                finished();
                if (status == 481) {
                    failed(true);
                } else if (status == 408) {
                    failed(false);
                } else {
                    leg.ping.failures = 0;
                }
            }
        }

        @Override
        public void onEnd(EndReason reason, boolean finalReceived) {
            if (!done) {
                finished();
                failed(false);      // Timer B/F or a transport failure: no answer at all
            }
        }

        private void finished() {
            done = true;
            leg.ping.pending = false;
        }

        private void failed(boolean definitive) {
            leg.ping.failures++;
            outcomes.pinged(dialog);
            metrics.pingsFailed.increment();
            if (definitive || leg.ping.failures >= settings.failedPingLimit()) {
                EndCause cause = leg == dialog.caller() ? EndCause.CALLER_PING_FAILED : EndCause.CALLEE_PING_FAILED;
                log.info("{}: ping toward {} failed ({} in a row), ending it", dialog, leg, leg.ping.failures);
                outcomes.pingsFailed(dialog, cause);
            }
        }

        private void ackSuccess(SIPResponse response) {
            // The 2xx's Contact is not taken as a new target: the other UA would not learn of it, and
            // the leg keeps the target both UAs agree on (dialog.validate compares against it).
            Leg other = leg == dialog.caller() ? dialog.callee() : dialog.caller();
            try {
                SIPRequest ack = requests.ack(dialog, leg, other, cseq, LegData.contact(response));
                sender.get().sendAck(ack, InDialogRequests.nextHop(leg));
            } catch (RuntimeException e) {
                log.warn("cannot ACK the re-INVITE ping of {}: {}", dialog, e.toString());
            }
        }
    }
}

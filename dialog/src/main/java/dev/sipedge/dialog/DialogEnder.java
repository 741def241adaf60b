package dev.sipedge.dialog;

import dev.sipedge.transaction.EndReason;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends dialogs on the module's own decision (lifetime with {@code bye-on-timeout}, the operator,
 * failed pings, RFC 5407 races), as OpenSIPS's {@code dlg_end_dlg} does: a confirmed dialog gets
 * a BYE toward each leg, both built from one snapshot before either is sent; an early one gets its
 * INVITE branches CANCELled. The dialog is ended (and counted) at once, stays in the table while
 * its BYE transactions run ({@link Dialog#terminating()}), and is freed after the last of them
 * ends plus the delete delay.
 */
final class DialogEnder {
    private static final Logger log = LoggerFactory.getLogger(DialogEnder.class);

    private final DialogTracker tracker;
    private final InDialogRequests requests;
    private final long cseqGap;

    DialogEnder(DialogTracker tracker, InDialogRequests requests, long cseqGap) {
        this.tracker = tracker;
        this.requests = requests;
        this.cseqGap = cseqGap;
    }

    /** Ends {@code d} for {@code cause}; false when it had ended already (or has nothing to end yet). */
    boolean terminate(Dialog d, EndCause cause) {
        return terminate(d, cause, cause.reasonHeader(), List.of());
    }

    /** As {@link #terminate(Dialog, EndCause)}, the BYEs with an operator's Reason and extra headers. */
    boolean terminate(Dialog d, OperatorEnd how) {
        return terminate(d, EndCause.OPERATOR, how.reasonHeader(), how.headers());
    }

    private boolean terminate(Dialog d, EndCause cause, String reason, List<String> headers) {
        switch (d.state) {
            case UNCONFIRMED, EARLY -> {
                if (d.initialInvite == null || d.requestedCause != null) {
                    return false;
                }
                // The 487 that the CANCEL brings back ends the dialog through the usual path.
                d.requestedCause = cause;
                if (!tracker.sender().cancel(d.initialInvite)) {
                    d.requestedCause = null;
                    return false;
                }
                return true;
            }
            case CONFIRMED_NA, CONFIRMED -> {
                SIPRequest[] byes = snapshot(d, reason, headers);
                DialogEvent event = cause.timeout() ? DialogEvent.TIMEOUT : DialogEvent.LOCAL_END;
                if (!tracker.end(d, event, cause)) {
                    return false;
                }
                if (cause.timeout()) {
                    tracker.events().fire(d, "expired", l -> l.onExpired(d));
                } else {
                    tracker.events().fire(d, "terminated", l -> l.onTerminated(d, null));
                }
                // The call is over for the profiles now, not when a dead leg's BYE finally times out;
                // the listeners above still saw its memberships, as they do for a BYE from a UA.
                d.leaveProfiles();
                send(d, byes);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Sends BYEs to both legs of a dialog that has already ended in our table but not at the UAs
     * (an RFC 5407 race), then frees it once they are done.
     */
    void byeEnded(Dialog d, EndCause cause) {
        d.endCause = cause;
        send(d, snapshot(d, cause.reasonHeader(), List.of()));
    }

    /** Both BYEs, built before either is sent, so the second cannot see state the first changed. */
    private SIPRequest[] snapshot(Dialog d, String reason, List<String> headers) {
        Leg caller = d.caller();
        Leg callee = d.callee();
        SIPRequest[] byes = new SIPRequest[2];
        if (callee == null) {
            return byes;
        }
        try {
            byes[0] = requests.build(d, caller, callee, InDialogRequests.Spec.bye(byeCseq(caller), reason, headers));
        } catch (RuntimeException e) {
            log.warn("cannot build BYE toward the caller of {}: {}", d, e.toString());
        }
        try {
            byes[1] = requests.build(d, callee, caller, InDialogRequests.Spec.bye(byeCseq(callee), reason, headers));
        } catch (RuntimeException e) {
            log.warn("cannot build BYE toward the callee of {}: {}", d, e.toString());
        }
        return byes;
    }

    /** One more than the highest CSeq sent toward the leg (relayed, shifted, or ours), plus the gap. */
    private long byeCseq(Leg leg) {
        // At the top of the space the BYE may be refused with 500; better that than an invalid CSeq.
        return Math.min(leg.cseqTo() + 1 + cseqGap, CseqShift.MAX_CSEQ);
    }

    private void send(Dialog d, SIPRequest[] byes) {
        Leg[] legs = {d.caller(), d.callee()};
        // Counted before either is sent: a sender that fails at once must not free the dialog under the second.
        for (SIPRequest bye : byes) {
            if (bye != null) {
                d.pendingByes++;
            }
        }
        if (d.pendingByes == 0) {
            tracker.finish(d);
            return;
        }
        for (int i = 0; i < byes.length; i++) {
            if (byes[i] == null) {
                continue;
            }
            Leg leg = legs[i];
            leg.sentTo(byes[i].getCSeq().getSeqNumber());
            tracker.module().metrics().byesSent.increment();
            ByeReply reply = new ByeReply(d);
            try {
                tracker.sender().send(byes[i], InDialogRequests.nextHop(leg), reply);
            } catch (RuntimeException e) {
                // The other BYE still goes: one failing leg must not keep the other up.
                log.warn("BYE toward {} of {} not sent: {}", leg, d, e.toString());
                reply.onEnd(EndReason.TRANSPORT_ERROR, false);
            }
        }
    }

    private void byeDone(Dialog d) {
        if (d.pendingByes > 0 && --d.pendingByes == 0) {
            tracker.finish(d);
        }
    }

    private final class ByeReply implements DialogRequestSender.Reply {
        private final Dialog dialog;
        private boolean ended;

        ByeReply(Dialog dialog) {
            this.dialog = dialog;
        }

        @Override
        public void onResponse(SIPResponse response) {
            if (response.getStatusCode() >= 300) {
                log.debug("BYE of {} answered {}", dialog, response.getStatusCode());
            }
        }

        @Override
        public void onEnd(EndReason reason, boolean finalReceived) {
            if (!ended) {
                ended = true;
                byeDone(dialog);
            }
        }
    }
}

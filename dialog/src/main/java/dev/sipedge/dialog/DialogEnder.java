package dev.sipedge.dialog;

import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests that end a dialog on the module's own decision, as OpenSIPS's {@code dlg_end_dlg}
 * sends them: a BYE toward each leg of a confirmed dialog, both built from one snapshot before
 * either is sent, or a CANCEL of an early dialog's INVITE branches. What the end does to the
 * dialog is {@link DialogLifecycle#terminate}'s; this only builds and sends, and reports when the
 * BYE transactions are done.
 */
final class DialogEnder {
    private static final Logger log = LoggerFactory.getLogger(DialogEnder.class);

    private final InDialogRequests requests;
    private final long cseqGap;
    private final DialogMetrics metrics;
    private final Supplier<DialogRequestSender> sender;

    DialogEnder(InDialogRequests requests, long cseqGap, DialogMetrics metrics, Supplier<DialogRequestSender> sender) {
        this.requests = requests;
        this.cseqGap = cseqGap;
        this.metrics = metrics;
        this.sender = sender;
    }

    /** CANCELs the branches of {@code initialInvite}; false when there is nothing left to cancel. */
    boolean cancel(ServerTransaction initialInvite) {
        return sender.get().cancel(initialInvite);
    }

    /**
     * Both BYEs (toward the caller, toward the callee), built before either is sent, so the second
     * cannot see state the first changed. An entry is null when its BYE cannot be built.
     */
    SIPRequest[] byes(Dialog d, String reason, List<String> headers) {
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

    static int count(SIPRequest[] byes) {
        int n = 0;
        for (SIPRequest bye : byes) {
            if (bye != null) {
                n++;
            }
        }
        return n;
    }

    /** One more than the highest CSeq sent toward the leg (relayed, shifted, or ours), plus the gap. */
    private long byeCseq(Leg leg) {
        // At the top of the space the BYE may be refused with 500; better that than an invalid CSeq.
        return Math.min(leg.cseqTo() + 1 + cseqGap, CseqShift.MAX_CSEQ);
    }

    /** Sends what {@link #byes} built; {@code done} runs once per BYE when its transaction is over. */
    void send(Dialog d, SIPRequest[] byes, Runnable done) {
        Leg[] legs = {d.caller(), d.callee()};
        for (int i = 0; i < byes.length; i++) {
            if (byes[i] == null) {
                continue;
            }
            Leg leg = legs[i];
            leg.sentTo(byes[i].getCSeq().getSeqNumber());
            metrics.byesSent.increment();
            ByeReply reply = new ByeReply(done);
            try {
                sender.get().send(byes[i], InDialogRequests.nextHop(leg), reply);
            } catch (RuntimeException e) {
                // The other BYE still goes: one failing leg must not keep the other up.
                log.warn("BYE toward {} of {} not sent: {}", leg, d, e.toString());
                reply.onEnd(EndReason.TRANSPORT_ERROR, false);
            }
        }
    }

    private static final class ByeReply implements DialogRequestSender.Reply {
        private final Runnable done;
        private boolean ended;

        ByeReply(Runnable done) {
            this.done = done;
        }

        @Override
        public void onResponse(SIPResponse response) {
            if (response.getStatusCode() >= 300) {
                log.debug("BYE answered {}", response.getStatusCode());
            }
        }

        @Override
        public void onEnd(EndReason reason, boolean finalReceived) {
            if (!ended) {
                ended = true;
                done.run();
            }
        }
    }
}

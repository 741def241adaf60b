package dev.sipedge.dialog;

import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What requests with a To tag and 2xx ACKs do to their dialog (Kamailio's
 * {@code dlg_onroute}): matching, validation, the CSeq bookkeeping of each direction (with the
 * shift re-INVITE pings require, also for a 2xx that outlived its transaction), BYE, target
 * refreshes, confirmation by the ACK. Part of
 * {@link DialogTracker}, on its shard.
 */
final class SequentialRequests {
    private final SequentialMatcher matcher;
    private final DialogTransactions transactions;
    private final DialogLifecycle lifecycle;
    private final DialogEvents events;
    private final DialogMetrics metrics;
    private final boolean validate;

    SequentialRequests(SequentialMatcher matcher, DialogTransactions transactions, DialogLifecycle lifecycle,
                       DialogEvents events, DialogMetrics metrics, boolean validate) {
        this.matcher = matcher;
        this.transactions = transactions;
        this.lifecycle = lifecycle;
        this.events = events;
        this.metrics = metrics;
        this.validate = validate;
    }

    /** {@link DialogTracker#onSequentialRequest} after the spiral check. */
    Sequential onRequest(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing) {
        SequentialMatcher.Match match = matcher.find(request, routing);
        if (!(match instanceof SequentialMatcher.Found m)) {
            if (match == SequentialMatcher.Missed.COOKIE) {
                metrics.unmatched.increment();
            }
            return Sequential.Unmatched.INSTANCE;
        }
        Dialog d = m.dialog();
        if (d.state == DialogState.ENDED) {
            if (request.getMethod().equals("BYE")) {
                lifecycle.byeAfterEnd(d);
            }
            // Read-only during the delete delay (and while our BYEs run), but still in the leg's CSeq space.
            Leg to = m.to();
            long rack = to.cseqShift() > 0 && request.getMethod().equals("PRACK") ? CseqShift.rackShift(request, to) : 0;
            return new Sequential.Matched(d, m.direction(), to.cseqShift(), rack);
        }
        if (validate) {
            Optional<Refusal> refusal = DialogValidator.check(request, m.from(), m.to());
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        long cseq = request.getCSeq().getSeqNumber();
        String method = request.getMethod();
        m.from().seenFrom(cseq);
        // Where the requester is now: a NAT binding or a TCP connection may have changed since the INVITE.
        m.from().flow(tx.flow());
        Leg to = m.to();
        long shift = shiftToward(to, cseq);
        long rackShift = shift > 0 && method.equals("PRACK") ? CseqShift.rackShift(request, to) : 0;
        if (method.equals("INVITE")) {
            to.inviteRelayed(cseq, shift);
        }
        to.sentTo(cseq + shift);
        if (method.equals("BYE")) {
            onBye(d, m, request);
        } else {
            lifecycle.touched(d);
            if (!refresh(method)) {
                LegData.keepPingSdp(d, m.to(), request);
            }
            events.fire(d, "requestWithin", l -> l.onRequestWithin(d, request, m.direction()));
        }
        boolean refresh = refresh(method);
        // An offer counts as received only once it is accepted (2xx): a rejected one is not the session.
        String offer = refresh ? LegData.pingSdp(d, m.to(), request) : null;
        transactions.within(tx, new DialogTransactions.Within(d, m.from(), m.to(),
                refresh ? LegData.contact(request) : null, method.equals("INVITE"), offer));
        lifecycle.changed(d);
        return new Sequential.Matched(d, m.direction(), shift, rackShift);
    }

    private static boolean refresh(String method) {
        return method.equals("INVITE") || method.equals("UPDATE");
    }

    /** {@link DialogTracker#onAck}. */
    long onAck(SIPRequest ack, RoutePreprocessResult routing, Flow inbound) {
        // No spiral check: a 2xx ACK has no transaction to recognise it by, and a second pass
        // finds the dialog confirmed already, which changes nothing.
        if (!(matcher.find(ack, routing) instanceof SequentialMatcher.Found m)) {
            return 0;
        }
        Dialog d = m.dialog();
        long shift = m.to().inviteShift(ack.getCSeq().getSeqNumber());
        if (d.state == DialogState.ENDED || m.to() != d.callee() && m.from() != d.callee()) {
            return shift;
        }
        if (inbound != null) {
            m.from().flow(inbound);
        }
        LegData.keepPingSdp(d, m.to(), ack);
        lifecycle.touched(d);
        lifecycle.apply(d, DialogEvent.ACK, null, ack);
        lifecycle.changed(d);
        return shift;
    }

    /** {@link DialogTracker#strayInviteCseq}. */
    OptionalLong strayInviteCseq(SIPResponse response) {
        Optional<SequentialMatcher.Found> m = matcher.byTags(response.getCallId().getCallId(),
                response.getFromTag(), response.getToTag());
        if (m.isEmpty()) {
            return OptionalLong.empty();
        }
        Leg responder = m.get().to();
        long shift = responder.lastInviteShift();
        long received = responder.lastInviteCseq();
        return shift != 0 && received >= 0 && received + shift == response.getCSeq().getSeqNumber()
                ? OptionalLong.of(received) : OptionalLong.empty();
    }

    /** The shift of a request toward {@code to} ({@link CseqShift}); 0 until a re-INVITE ping was sent. */
    private static long shiftToward(Leg to, long cseq) {
        // Never raised for a low CSeq: an out-of-order request must still look out of order to the UA.
        return to.cseqShift();
    }

    private void onBye(Dialog d, SequentialMatcher.Found m, SIPRequest bye) {
        Leg calleeSide = m.direction() == Direction.DOWNSTREAM ? m.to() : m.from();
        boolean notChosen = d.answered() ? calleeSide != d.callee() : d.calleeLegs().size() > 1;
        if (notChosen && d.dropLeg(calleeSide)) {
            // A leg that was not chosen (an extra 2xx, or one early fork among others): only it ends.
            events.fire(d, "requestWithin", l -> l.onRequestWithin(d, bye, m.direction()));
            return;
        }
        EndCause cause = m.direction() == Direction.DOWNSTREAM ? EndCause.CALLER_BYE : EndCause.CALLEE_BYE;
        lifecycle.apply(d, DialogEvent.BYE, cause, bye);
    }
}

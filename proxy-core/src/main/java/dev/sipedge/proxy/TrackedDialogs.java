package dev.sipedge.proxy;

import dev.sipedge.dialog.Creation;
import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogRequestSender;
import dev.sipedge.dialog.DialogTracker;
import dev.sipedge.dialog.Refusal;
import dev.sipedge.dialog.Sequential;
import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.Transaction;
import dev.sipedge.transaction.TransactionLayer;
import dev.sipedge.transaction.TransactionListener;
import dev.sipedge.transport.ReceivedBytes;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.OptionalLong;
import javax.sip.InvalidArgumentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialog hook of a shard whose calls may be tracked: the shard's {@link DialogTracker} behind
 * the engine's {@link DialogHook}. A failure inside the dialog module is contained here, with the
 * outcome §16 needs: an in-dialog request or ACK is relayed anyway (loose routing does not need
 * the dialog), an initial INVITE is refused with 500 (relaying it untracked would bypass its
 * profile caps).
 *
 * <p>A request relayed with a CSeq shift is remembered per server transaction until that
 * transaction ends, so that every response relayed upstream carries the CSeq upstream sent.
 */
public final class TrackedDialogs implements DialogHook, TransactionListener {
    private static final Logger log = LoggerFactory.getLogger(TrackedDialogs.class);

    private final DialogTracker tracker;
    /** Shifted in-dialog requests of the shard (only on calls with re-INVITE pings; usually empty). */
    private final Map<Transaction, Shifted> shifted = new IdentityHashMap<>();

    private record Shifted(Sequential.Matched verdict, long upstreamCseq) {
    }

    public TrackedDialogs(DialogTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void attach(TransactionLayer layer, DialogRequestSender sender) {
        layer.addListener(tracker);
        layer.addListener(this);
        tracker.useSender(sender);
        tracker.useOwnRequests(layer::sentByUs);
    }

    @Override
    public Verdict initialInvite(ServerTransaction tx, SIPRequest invite, DialogOptions configured) {
        try {
            DialogOptions options = tracker.optionsFor(invite, configured);
            if (!options.track()) {
                return Relay.PLAIN;
            }
            Creation creation = tracker.create(tx, invite, options);
            return creation instanceof Creation.Tracked tracked ? new Relay(tracked.recordRouteParams())
                    : refuse((Refusal) creation);
        } catch (RuntimeException e) {
            log.warn("dialog creation failed for Call-ID {}: {}", invite.getCallId().getCallId(), e.toString());
            return new Refuse(500, "Server Internal Error");
        }
    }

    @Override
    public Verdict sequential(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing) {
        Sequential verdict;
        try {
            verdict = tracker.onSequentialRequest(tx, request, routing);
        } catch (RuntimeException e) {
            log.warn("dialog matching failed for Call-ID {}: {}", request.getCallId().getCallId(), e.toString());
            return Relay.PLAIN;
        }
        if (verdict instanceof Refusal refusal) {
            return refuse(refusal);
        }
        if (verdict instanceof Sequential.Matched matched && matched.shifted()) {
            shifted.put(tx, new Shifted(matched, request.getCSeq().getSeqNumber()));
        }
        return Relay.PLAIN;
    }

    private static Refuse refuse(Refusal refusal) {
        return new Refuse(refusal.status(), refusal.reason());
    }

    @Override
    public void beforeForward(ServerTransaction tx, SIPRequest copy) {
        Shifted s = shifted.isEmpty() ? null : shifted.get(tx);
        if (s != null) {
            ReceivedBytes.forget(copy);     // a shifted CSeq or RAck: the received bytes do not say it
            s.verdict().applyTo(copy);
        }
    }

    @Override
    public void beforeRelayUpstream(ServerTransaction tx, SIPResponse response) {
        Shifted s = shifted.isEmpty() ? null : shifted.get(tx);
        if (s != null && response.getCSeq().getSeqNumber() != s.upstreamCseq()) {
            ReceivedBytes.forget(response);
            try {
                response.getCSeq().setSeqNumber(s.upstreamCseq());
            } catch (InvalidArgumentException e) {
                throw new IllegalStateException("upstream CSeq out of range: " + s.upstreamCseq(), e);
            }
        }
    }

    @Override
    public void onAck(SIPRequest ack, RoutePreprocessResult routing, Flow inbound) {
        try {
            long shift = tracker.onAck(ack, routing, inbound);
            if (shift != 0) {
                // The INVITE this ACK acknowledges went out shifted (re-INVITE pings): so must its ACK.
                ReceivedBytes.forget(ack);
                ack.getCSeq().setSeqNumber(ack.getCSeq().getSeqNumber() + shift);
            }
        } catch (RuntimeException | InvalidArgumentException e) {
            // The ACK still goes on: the callee needs it whatever the dialog's bookkeeping says.
            log.warn("dialog ACK handling failed for Call-ID {}: {}", ack.getCallId().getCallId(), e.toString());
        }
    }

    @Override
    public void beforeRelayStray(SIPResponse response) {
        try {
            OptionalLong requested = tracker.strayInviteCseq(response);
            if (requested.isPresent()) {
                // The INVITE went out shifted and its transaction is gone (a restart, or Timer M):
                // the requester knows the 2xx only by the CSeq it sent.
                ReceivedBytes.forget(response);
                response.getCSeq().setSeqNumber(requested.getAsLong());
            }
        } catch (RuntimeException | InvalidArgumentException e) {
            // Relayed as it came: the requester may still recognise it by its Via.
            log.warn("dialog handling of a stray 2xx failed for Call-ID {}: {}", response.getCallId().getCallId(),
                    e.toString());
        }
    }

    @Override
    public void onCancel(ServerTransaction invite) {
        tracker.onCancel(invite);
    }

    @Override
    public void onSettledCancel(SIPRequest cancel) {
        tracker.onCancel(cancel);
    }

    @Override
    public void transactionEnded(Transaction tx, EndReason reason) {
        if (!shifted.isEmpty()) {
            shifted.remove(tx);
        }
    }

    /** Shifted transactions still remembered (for leak tests). */
    int shiftedCount() {
        return shifted.size();
    }
}

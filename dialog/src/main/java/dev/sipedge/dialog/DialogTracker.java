package dev.sipedge.dialog;

import dev.sipedge.recordroute.LocalIdentity;
import dev.sipedge.recordroute.RoutePreprocessResult;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.Transaction;
import dev.sipedge.transaction.TransactionListener;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The dialogs of one shard and the glue that feeds them (Kamailio's {@code dlg_handlers}): the proxy
 * calls {@link #create} for a tracked initial INVITE, {@link #onSequentialRequest} and
 * {@link #onAck} for requests that carry a To tag; the shard's transaction layer reports the
 * responses and the ends of transactions ({@link TransactionListener}). Every method runs on the
 * shard's executor; nothing here locks.
 *
 * <p>Which transaction belongs to which dialog is remembered per transaction (identity maps that
 * empty as the transactions end), so responses are attributed without any matching.
 */
public final class DialogTracker implements TransactionListener {
    private final DialogSettings settings;
    private final Executor shard;
    private final Supplier<DialogPolicy> policy;
    private final LongSupplier sequences;
    private final LongFunction<String> dids;
    private final ToLongFunction<String> sequenceOf;
    private final DialogMetrics metrics;
    private final DialogTable table = new DialogTable();
    /** Package-visible for leak tests. */
    final DialogTransactions transactions = new DialogTransactions();
    private final DialogEvents events;
    private final DialogLifecycle lifecycle;
    private final DialogHome home;
    private final SequentialRequests sequential;
    private final ResponseObserver responses;
    private DialogRequestSender sender = DialogRequestSender.NONE;
    /**
     * Whether a request carries the branch of a live client transaction of the shard: one we sent
     * that came back (a spiral). The shard's transaction layer answers; none until it is connected.
     */
    private Predicate<SIPRequest> sentByUs = request -> false;

    DialogTracker(DialogModule module, Executor shard, Timer timer, LocalIdentity identity, LongSupplier nanoClock) {
        this.settings = module.settings();
        this.shard = shard;
        this.policy = module::policy;
        this.sequences = module::nextSequence;
        this.dids = module::didOf;
        this.sequenceOf = module::sequenceOf;
        this.metrics = module.metrics();
        this.events = new DialogEvents(module.listeners());
        InDialogRequests requests = new InDialogRequests(settings.requests().extraHeaders());
        DialogEnder ender = new DialogEnder(requests, settings.requests().byeCseqGap(), metrics, () -> sender);
        this.lifecycle = new DialogLifecycle(table, transactions, events, metrics, module::durable, ender, settings,
                timer, shard, nanoClock, System::currentTimeMillis, requests, () -> sender);
        this.home = new DialogHome(lifecycle, shard, dids, module.profiles());
        this.sequential = new SequentialRequests(
                new SequentialMatcher(table, settings.matchMode(), settings.rrParam(), module.cookies()),
                transactions, lifecycle, events, metrics, settings.validate());
        this.responses = new ResponseObserver(table, transactions, lifecycle, events, identity);
    }

    /**
     * Connects the proxy's way of sending requests (BYEs, pings, CANCEL on operator end). Until
     * then every such request fails at once and dialogs end without them.
     */
    public void useSender(DialogRequestSender requestSender) {
        this.sender = Objects.requireNonNull(requestSender);
    }

    /**
     * Connects the shard's test for requests we sent that came back ({@code TransactionLayer::sentByUs}
     * of the layer this tracker listens to). Until then no request counts as a spiral.
     */
    public void useOwnRequests(Predicate<SIPRequest> requestSentByUs) {
        this.sentByUs = Objects.requireNonNull(requestSentByUs);
    }

    /**
     * Creates the dialog of an initial INVITE before it is relayed (the Java API for embedders, and
     * what the proxy calls for routes with {@code dialog.track = true}). The caller must add
     * {@link Creation.Tracked#recordRouteParams()} to its Record-Route. A spiral (same Call-ID, From tag and
     * CSeq as a live dialog) joins that dialog; a full profile refuses the call.
     */
    public Creation create(ServerTransaction tx, SIPRequest invite, DialogOptions options) {
        String callId = invite.getCallId().getCallId();
        String fromTag = invite.getFromTag();
        long cseq = invite.getCSeq().getSeqNumber();
        // Only an INVITE that carries the Via of one of our live branches came back through us:
        // anybody can copy the three keys, and a Via naming our address is easy to write too.
        if (settings.detectSpirals()) {
            for (Dialog d = table.byCallId(callId); d != null; d = d.nextSameCallId) {
                if (d.state != DialogState.ENDED && d.caller().hasTag(fromTag) && d.inviteCseq() == cseq
                        && sentByUs.test(invite)) {
                    Dialog spiraled = d;
                    events.fire(spiraled, "spiraled", l -> l.onSpiraled(spiraled, invite));
                    return new Creation.Tracked(spiraled, cookie(spiraled), true);
                }
            }
        }
        Leg caller = new Leg(fromTag, invite.getFrom().getAddress().getURI().toString(), LegData.contact(invite),
                tx.flow(), LegData.callerRouteSet(invite));
        caller.seenFrom(cseq);
        Dialog dialog = new Dialog(sequences.getAsLong(), callId, cseq, caller, home, options, System.currentTimeMillis());
        dialog.lifetimeMillis = (options.timeout() != null ? options.timeout() : settings.defaultTimeout()).toMillis();
        dialog.inviteTo(invite.getTo().getAddress().getURI().toString());
        try {
            for (ProfileRule rule : options.profiles()) {
                String value = null;
                if (rule.value() != null) {
                    Optional<String> v = rule.value().evaluate(invite, tx.flow());
                    if (v.isEmpty()) {
                        continue;     // a header the value names is absent: not in this profile (ValueTemplate)
                    }
                    value = v.get();
                }
                if (!dialog.addToProfile(rule.name(), value, rule.max())) {
                    dialog.leaveProfiles();
                    return new Refusal(rule.rejectStatus(), SIPResponse.getReasonPhrase(rule.rejectStatus()));
                }
            }
        } catch (RuntimeException e) {
            dialog.leaveProfiles();     // e.g. an undeclared profile from a policy: the earlier places are given back
            throw e;
        }
        if (options.pingCallee() == PingMode.REINVITE) {
            dialog.inviteSdp = LegData.sdp(invite);
        }
        transactions.initialInvite(tx, dialog);
        lifecycle.created(dialog, invite);
        return new Creation.Tracked(dialog, cookie(dialog), false);
    }

    /**
     * The options an initial INVITE gets under the module's {@link DialogPolicy}, given its route's
     * ({@link DialogOptions#NONE} when none matched). The proxy calls {@link #create} when they track.
     */
    public DialogOptions optionsFor(SIPRequest invite, DialogOptions configured) {
        DialogOptions chosen = policy.get().optionsFor(invite, configured);
        return chosen == null ? DialogOptions.NONE : chosen;
    }

    /**
     * A request with a To tag reached the proxy; our Route entry (if any) was removed already.
     * Matches it to its dialog, applies it (BYE ends the dialog, others restart the lifetime), and
     * says whether to relay it, and with which CSeq shift. An unmatched request is relayed along
     * its Route set anyway.
     */
    public Sequential onSequentialRequest(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing) {
        if (sentByUs.test(request)) {
            // The second pass of a spiral: the first pass already applied it to the dialog.
            return Sequential.Unmatched.INSTANCE;
        }
        return sequential.onRequest(tx, request, routing);
    }

    /**
     * An ACK for a 2xx, before it is relayed: confirms the dialog (and starts its pings). Returns
     * the CSeq shift the relayed ACK needs: that of the INVITE it acknowledges ({@link CseqShift}).
     */
    public long onAck(SIPRequest ack, RoutePreprocessResult routing) {
        return sequential.onAck(ack, routing, null);
    }

    /**
     * As {@link #onAck(SIPRequest, RoutePreprocessResult)}, and the caller is now seen on
     * {@code inbound} (its NAT binding or TCP connection may have changed).
     */
    public long onAck(SIPRequest ack, RoutePreprocessResult routing, Flow inbound) {
        return sequential.onAck(ack, routing, inbound);
    }

    /**
     * A 2xx to an INVITE that matched no transaction, about to be relayed by its Via: the proxy
     * restarted since it relayed the INVITE, or the transaction ended before the UA's last
     * retransmission. When that INVITE went toward the responder shifted ({@link CseqShift}), the
     * CSeq the requester used, which the 2xx must carry back; empty when it passes as it is.
     */
    public OptionalLong strayInviteCseq(SIPResponse response) {
        return sequential.strayInviteCseq(response);
    }

    /** The caller CANCELled the initial INVITE of {@code invite}'s dialog (RFC 5407 bookkeeping). */
    public void onCancel(ServerTransaction invite) {
        Dialog d = transactions.initialInviteOf(invite);
        if (d != null) {
            lifecycle.cancelled(d);
        }
    }

    /**
     * As {@link #onCancel(ServerTransaction)}, for an initial INVITE whose transaction has ended
     * (settled after its 2xx): its dialogs are those of the CANCEL's Call-ID, caller's tag and
     * CSeq number, which a CANCEL shares with its INVITE (RFC 3261 §9.1); every pass of a spiral
     * has one.
     */
    public void onCancel(SIPRequest cancel) {
        String fromTag = cancel.getFromTag();
        if (fromTag == null || cancel.getCallId() == null || cancel.getCSeq() == null) {
            return;
        }
        long cseq = cancel.getCSeq().getSeqNumber();
        for (Dialog d = table.byCallId(cancel.getCallId().getCallId()); d != null; d = d.nextSameCallId) {
            if (d.caller().hasTag(fromTag) && d.inviteCseq() == cseq) {
                lifecycle.cancelled(d);
            }
        }
    }

    // ---- transaction layer callbacks ----

    @Override
    public void clientTransactionCreated(ClientTransaction tx) {
        responses.branchCreated(tx);
    }

    @Override
    public void responseReceived(ClientTransaction tx, SIPResponse response, Flow source) {
        responses.received(tx, response, source);
    }

    @Override
    public void responseSent(ServerTransaction tx, SIPResponse response) {
        responses.sent(tx, response);
    }

    @Override
    public void transactionEnded(Transaction tx, EndReason reason) {
        Dialog d = transactions.ended(tx);
        if (d == null) {
            return;
        }
        if (d.state == DialogState.UNCONFIRMED || d.state == DialogState.EARLY) {
            // No final response ever went upstream (e.g. the caller's connection died).
            lifecycle.apply(d, DialogEvent.TRANSACTION_GONE, EndCause.NOT_ANSWERED, null);
        } else {
            d.pruneUnansweredLegs();
        }
    }

    /**
     * Ends {@code d} on the module's decision: BYE to both legs when confirmed, CANCEL toward the
     * callee when early. False when it has ended already. Call on {@link #executor()}.
     */
    public boolean terminate(Dialog d, EndCause cause) {
        return owns(d) && lifecycle.terminate(d, cause, null);
    }

    /** As {@link #terminate}, for an operator, with the Reason and extra headers of its BYEs. */
    boolean terminate(Dialog d, OperatorEnd how) {
        return owns(d) && lifecycle.terminate(d, EndCause.OPERATOR, how);
    }

    private boolean owns(Dialog d) {
        return !d.destroyed && d.home() == home;
    }

    /** Time until {@code d} ends on its own. Call on {@link #executor()}. */
    Duration timeLeft(Dialog d) {
        return lifecycle.timeLeft(d);
    }

    private RouteParams cookie(Dialog d) {
        return settings.matchMode() == MatchMode.SIP_ONLY ? RouteParams.EMPTY
                : RouteParams.EMPTY.with(settings.rrParam(), d.id());
    }

    /**
     * Rebuilds a stored dialog here (persistence restore, before traffic; on {@link #executor()}).
     * The dialog, or null when one with the same did is here already.
     */
    Dialog restore(DialogRecord record, long nowMillis) {
        long sequence = sequenceOf.applyAsLong(record.id());
        if (sequence >= 0 && table.bySequence(sequence) != null) {
            return null;
        }
        return DialogRestore.restore(record, sequence >= 0 ? sequence : sequences.getAsLong(), home, nowMillis);
    }

    // ---- reading ----

    /** The dialog with this id in this shard, or null. Call on {@link #executor()}. */
    public Dialog find(String id) {
        long sequence = sequenceOf.applyAsLong(id);
        return sequence < 0 ? null : table.bySequence(sequence);
    }

    /** The dialogs of {@code callId} in this shard. Call on {@link #executor()}. */
    public List<Dialog> findByCallId(String callId) {
        List<Dialog> out = new ArrayList<>(1);
        for (Dialog d = table.byCallId(callId); d != null; d = d.nextSameCallId) {
            out.add(d);
        }
        return out;
    }

    /** Every dialog of this shard (a copy). Call on {@link #executor()}. */
    public List<Dialog> dialogs() {
        return table.all();
    }

    /** Dialogs in this shard's table; safe from any thread. */
    public int size() {
        return table.size();
    }

    public Executor executor() {
        return shard;
    }

    DialogTable table() {
        return table;
    }

    DialogHome home() {
        return home;
    }
}

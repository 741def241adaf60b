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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

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
    private final DialogModule module;
    private final DialogSettings settings;
    private final Executor shard;
    private final LocalIdentity identity;
    private final DialogTable table = new DialogTable();
    private final DialogTimeouts timeouts;
    private final DialogEvents events;
    private final SequentialRequests sequential;
    private final ResponseObserver responses;
    private final DialogEnder ender;
    private final DialogPinger pinger;
    private final RaceConditions races;
    private DialogRequestSender sender = DialogRequestSender.NONE;
    /** Server transactions of initial INVITEs that created a dialog. */
    final Map<Transaction, Dialog> initialInvites = new IdentityHashMap<>();
    /** Branch and method of every live client transaction of the shard, to recognise spirals. */
    private final OwnBranches liveBranches = new OwnBranches();
    /** Server transactions of in-dialog requests. */
    final Map<Transaction, ResponseObserver.Within> within = new IdentityHashMap<>();

    DialogTracker(DialogModule module, Executor shard, Timer timer, LocalIdentity identity, LongSupplier nanoClock) {
        this.module = module;
        this.settings = module.settings();
        this.shard = shard;
        this.identity = identity;
        this.timeouts = new DialogTimeouts(timer, shard, nanoClock, settings.resetTimeoutOnSequential(),
                settings.noAckTimeout(), this);
        this.events = new DialogEvents(module.listeners());
        this.sequential = new SequentialRequests(this,
                new SequentialMatcher(table, settings.matchMode(), settings.rrParam(), module.cookies()));
        this.responses = new ResponseObserver(this);
        InDialogRequests requests = new InDialogRequests(settings.requests().extraHeaders());
        this.ender = new DialogEnder(this, requests, settings.requests().byeCseqGap());
        this.pinger = new DialogPinger(this, timer, shard, requests, settings.requests());
        this.races = new RaceConditions(this, timer, shard, settings.requests());
    }

    /**
     * Connects the proxy's way of sending requests (BYEs, pings, CANCEL on operator end). Until
     * then every such request fails at once and dialogs end without them.
     */
    public void useSender(DialogRequestSender requestSender) {
        this.sender = java.util.Objects.requireNonNull(requestSender);
    }

    /** What {@link #create} decided. */
    public record Creation(Dialog dialog, RouteParams recordRouteParams, boolean spiral, int rejectStatus,
                           String rejectReason) {
        public boolean rejected() {
            return rejectStatus != 0;
        }
    }

    /**
     * What {@link #onSequentialRequest} decided: relay (dialog may be null) or refuse with a status.
     * {@code cseqShift} and {@code rackShift} are what our re-INVITE pings require of the relayed
     * copy ({@link #applyTo}); the responses that come back must carry the received CSeq again.
     */
    public record Sequential(Dialog dialog, Direction direction, int rejectStatus, String rejectReason,
                             long cseqShift, long rackShift) {
        static final Sequential UNKNOWN = new Sequential(null, null, 0, null);

        Sequential(Dialog dialog, Direction direction, int rejectStatus, String rejectReason) {
            this(dialog, direction, rejectStatus, rejectReason, 0, 0);
        }

        public boolean rejected() {
            return rejectStatus != 0;
        }

        /** Shifts the CSeq (and a PRACK's RAck) of the copy about to be relayed. */
        public void applyTo(SIPRequest copy) {
            CseqShift.apply(copy, cseqShift, rackShift);
        }
    }

    /**
     * Creates the dialog of an initial INVITE before it is relayed (the Java API for embedders, and
     * what the proxy calls for routes with {@code dialog.track = true}). The caller must add
     * {@link Creation#recordRouteParams()} to its Record-Route. A spiral (same Call-ID, From tag and
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
                        && liveBranches.sentByUs(invite)) {
                    Dialog spiraled = d;
                    events.fire(spiraled, "spiraled", l -> l.onSpiraled(spiraled, invite));
                    return new Creation(spiraled, cookie(spiraled), true, 0, null);
                }
            }
        }
        Leg caller = new Leg(fromTag, invite.getFrom().getAddress().getURI().toString(), LegData.contact(invite),
                tx.flow(), LegData.callerRouteSet(invite));
        caller.seenFrom(cseq);
        Dialog dialog = new Dialog(module.nextSequence(), callId, cseq, caller, this, options, System.currentTimeMillis());
        dialog.lifetimeMillis = (options.timeout() != null ? options.timeout() : settings.defaultTimeout()).toMillis();
        dialog.inviteTo = invite.getTo().getAddress().getURI().toString();
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
                    return new Creation(null, RouteParams.EMPTY, false, rule.rejectStatus(),
                            SIPResponse.getReasonPhrase(rule.rejectStatus()));
                }
            }
        } catch (RuntimeException e) {
            dialog.leaveProfiles();     // e.g. an undeclared profile from a policy: the earlier places are given back
            throw e;
        }
        if (options.pingCallee() == PingMode.REINVITE) {
            dialog.inviteSdp = LegData.sdp(invite);
        }
        table.add(dialog);
        initialInvites.put(tx, dialog);
        dialog.initialInvite = tx;
        module.metrics().processed.increment();
        events.fire(dialog, "created", l -> l.onCreated(dialog, invite));
        return new Creation(dialog, cookie(dialog), false, 0, null);
    }

    /**
     * The options an initial INVITE gets under the module's {@link DialogPolicy}, given its route's
     * ({@link DialogOptions#NONE} when none matched). The proxy calls {@link #create} when they track.
     */
    public DialogOptions optionsFor(SIPRequest invite, DialogOptions configured) {
        DialogOptions chosen = module.policy().optionsFor(invite, configured);
        return chosen == null ? DialogOptions.NONE : chosen;
    }

    /**
     * A request with a To tag reached the proxy; our Route entry (if any) was removed already.
     * Matches it to its dialog, applies it (BYE ends the dialog, others restart the lifetime), and
     * says whether to relay it, and with which CSeq shift. An unmatched request is relayed along
     * its Route set anyway.
     */
    public Sequential onSequentialRequest(ServerTransaction tx, SIPRequest request, RoutePreprocessResult routing) {
        if (liveBranches.sentByUs(request)) {
            // The second pass of a spiral: the first pass already applied it to the dialog.
            return Sequential.UNKNOWN;
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

    /** The caller CANCELled the initial INVITE of {@code invite}'s dialog (RFC 5407 bookkeeping). */
    public void onCancel(ServerTransaction invite) {
        Dialog d = initialInvites.get(invite);
        if (d != null) {
            races.cancelled(d);
        }
    }

    // ---- transaction layer callbacks ----

    @Override
    public void clientTransactionCreated(ClientTransaction tx) {
        liveBranches.add(tx.key());
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
        if (tx instanceof ClientTransaction) {
            liveBranches.remove(tx.key());
        }
        responses.ended(tx);
        ResponseObserver.Within w = within.remove(tx);
        if (w != null && w.invite()) {
            w.dialog().openInvites--;
        }
        Dialog d = initialInvites.remove(tx);
        if (d == null) {
            return;
        }
        d.initialInvite = null;
        if (d.state == DialogState.UNCONFIRMED || d.state == DialogState.EARLY) {
            // No final response ever went upstream (e.g. the caller's connection died).
            if (end(d, DialogEvent.TRANSACTION_GONE, EndCause.NOT_ANSWERED)) {
                events.fire(d, "failed", l -> l.onFailed(d, null));
                finish(d);
            }
        } else {
            d.pruneUnansweredLegs();
        }
    }

    // ---- state changes with their effects ----

    /** Applies {@code event}; true when it ended the dialog (counted, timer stopped, not yet freed). */
    boolean end(Dialog d, DialogEvent event, EndCause cause) {
        DialogState next = DialogTransitions.next(d.state, event);
        if (next != DialogState.ENDED || d.state == DialogState.ENDED) {
            return false;
        }
        table.setState(d, next);
        module.durable().ended(d);  // persistence hook (issue 10): the lifecycle step takes it over
        d.endCause = d.requestedCause != null ? d.requestedCause : cause;
        module.metrics().ended(d.endCause);
        timeouts.cancel(d);
        pinger.stop(d);
        if (cause == EndCause.FAILED || cause == EndCause.NOT_ANSWERED || !d.answered()) {
            // DESIGN.md: failed = ended without being answered, which includes a BYE on an early dialog.
            module.metrics().failed.increment();
        } else if (cause == EndCause.EXPIRED) {
            module.metrics().expired.increment();
        }
        return true;
    }

    /**
     * Ends {@code d} on the module's decision: BYE to both legs when confirmed, CANCEL toward the
     * callee when early. False when it has ended already. Call on {@link #executor()}.
     */
    public boolean terminate(Dialog d, EndCause cause) {
        if (d.destroyed || d.tracker() != this) {
            return false;
        }
        return ender.terminate(d, cause);
    }

    /** Frees an ended dialog now, or after the delete delay. */
    void finish(Dialog d) {
        if (settings.deleteDelay().isZero()) {
            destroy(d);
        } else {
            timeouts.destroyLater(d, settings.deleteDelay());
        }
    }

    /** The lifetime ran out. */
    void expire(Dialog d) {
        timedOut(d, EndCause.EXPIRED);
    }

    /** The 2xx was not ACKed within dialog.noack-timeout: ends the dialog as a timeout, as Kamailio does. */
    void ackMissing(Dialog d) {
        timedOut(d, EndCause.NO_ACK);
    }

    /** With bye-on-timeout both legs get a BYE (the callee thinks the call is up, the caller may too). */
    private void timedOut(Dialog d, EndCause cause) {
        if (d.options.byeOnTimeout()) {
            ender.terminate(d, cause);
            return;
        }
        if (end(d, DialogEvent.TIMEOUT, cause)) {
            events.fire(d, "expired", l -> l.onExpired(d));
            finish(d);
        }
    }

    void destroy(Dialog d) {
        if (table.bySequence(d.sequence) != d) {
            return;
        }
        table.remove(d);
        d.destroyed = true;
        d.leaveProfiles();
        events.fire(d, "destroyed", l -> l.onDestroyed(d));
    }

    /** The SDP of {@code message} when {@code receiver} is re-INVITE-pinged (else null: nothing is kept). */
    String pingSdp(Dialog d, Leg receiver, gov.nist.javax.sip.message.SIPMessage message) {
        PingMode mode = receiver == d.caller() ? d.options.pingCaller() : d.options.pingCallee();
        return mode == PingMode.REINVITE ? LegData.sdp(message) : null;
    }

    void keepSdp(Dialog d, Leg receiver, gov.nist.javax.sip.message.SIPMessage message) {
        PingMode mode = receiver == d.caller() ? d.options.pingCaller() : d.options.pingCallee();
        if (mode == PingMode.REINVITE) {
            String sdp = LegData.sdp(message);
            if (sdp != null) {
                receiver.lastSdp(sdp);
            }
        }
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
        return DialogRestore.restore(this, record, nowMillis);
    }

    // ---- reading ----

    /** The dialog with this id in this shard, or null. Call on {@link #executor()}. */
    public Dialog find(String id) {
        long sequence = module.sequenceOf(id);
        return sequence < 0 ? null : table.bySequence(sequence);
    }

    /** The dialogs of {@code callId} in this shard. Call on {@link #executor()}. */
    public List<Dialog> findByCallId(String callId) {
        List<Dialog> out = new java.util.ArrayList<>(1);
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

    /** Live client transactions remembered for the spiral check (for leak tests). */
    int liveBranchCount() {
        return liveBranches.size();
    }

    ResponseObserver responses() {
        return responses;
    }

    DialogRequestSender sender() {
        return sender;
    }

    DialogEnder ender() {
        return ender;
    }

    RaceConditions races() {
        return races;
    }

    DialogPinger pinger() {
        return pinger;
    }

    DialogTimeouts timeouts() {
        return timeouts;
    }

    DialogModule module() {
        return module;
    }

    DialogEvents events() {
        return events;
    }

    LocalIdentity identity() {
        return identity;
    }

    DialogSettings settings() {
        return settings;
    }
}

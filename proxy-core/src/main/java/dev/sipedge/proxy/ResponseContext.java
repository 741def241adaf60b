package dev.sipedge.proxy;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.ServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import javax.sip.SipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 3261 §16.7 response context of one proxied request: its branches, the responses they
 * bring back, which of them go upstream, and CANCEL of pending branches (§16.10) and on Timer C
 * (§16.8). Lives on the shard that owns the call; attached to the server transaction.
 *
 * <ul>
 * <li>provisional responses except 100 are forwarded at once;</li>
 * <li>every 2xx is forwarded at once; after a 2xx to INVITE the other branches are cancelled;</li>
 * <li>3xx-6xx are stored; a 6xx cancels the other branches; when every branch is done the
 *     best stored response ({@link BestResponse}) goes upstream;</li>
 * <li>a branch that times out counts as 408, one whose transport failed as 503 (sent as 500),
 *     one cancelled before any provisional response as 487.</li>
 * </ul>
 */
final class ResponseContext {
    private static final Logger log = LoggerFactory.getLogger(ResponseContext.class);

    private final UpstreamRelay upstream;
    private final Cancels cancels;
    private final ServerTransaction server;
    /** The request as received; released (null) once every branch is done, see {@link #releaseIfDone}. */
    private SIPRequest original;
    private final boolean invite;
    /**
     * An INVITE without To tag whose later 2xx, relayed as strays by its Via, would leave by its
     * server transaction's flow: its answered transactions settle once released ({@link #settle}).
     */
    private final boolean settles;
    private final Branches branches = new Branches();
    /**
     * The non-2xx finals collected for §16.7 step 6, made on the first: an answered call has none,
     * and the context lingers 64*T1 with its INVITE's branch.
     */
    private List<SIPResponse> finals;
    private int pendingTargets;
    private boolean cancelled;
    /** Set once upstream CANCELs or a 2xx/6xx decides the call: targets still resolving are not started. */
    private boolean closed;
    private boolean finalSent;

    ResponseContext(UpstreamRelay upstream, Cancels cancels, ServerTransaction server, SIPRequest original,
                    int targets) {
        this.upstream = upstream;
        this.cancels = cancels;
        this.server = server;
        this.original = original;
        this.invite = original.getMethod().equals("INVITE");
        this.settles = invite && original.getToTag() == null && upstream.strayPathIs(server, original);
        this.pendingTargets = targets;
    }

    SIPRequest original() {
        return original;
    }

    ServerTransaction server() {
        return server;
    }

    private void addFinal(SIPResponse response) {
        if (finals == null) {
            finals = new ArrayList<>(2);
        }
        finals.add(response);
    }

    /** Every response goes upstream through here. */
    private void relay(SIPResponse response) {
        upstream.relay(server, response);
    }

    /** A target was resolved and its branch sent (or refused). */
    void branchStarted(Branch branch) {
        pendingTargets--;
        branches.add(branch);
    }

    /** A started branch that could not be sent: it counts as {@code status}. */
    void branchFailed(Branch branch, int status, String reason) {
        if (branch.finalResponse == null) {
            branch.finalResponse = LocalResponses.create(original, status, reason);
            addFinal(branch.finalResponse);
        }
        finishIfDone();
    }

    /** A target could not be used; {@code status} is the response it counts as. */
    void targetFailed(int status, String reason) {
        pendingTargets--;
        addFinal(LocalResponses.create(original, status, reason));
        finishIfDone();
    }

    /** False once the call is cancelled or decided (2xx, 6xx): a late-resolved target must not ring. */
    boolean acceptsBranches() {
        return !closed;
    }

    /** §16.10: a CANCEL for the request arrived; cancel every pending branch. */
    void cancel() {
        cancelled = true;
        closed = true;
        for (int i = 0; i < branches.size(); i++) {
            cancelBranch(branches.get(i));
        }
        finishIfDone();
    }

    void onResponse(Branch branch, ClientTransaction tx, SIPResponse response) {
        int status = response.getStatusCode();
        if (status < 200 && branch.cancelWanted && !branch.cancelSent) {
            cancelBranch(branch);
        }
        if (!upstream.popOurVia(response)) {
            return;
        }
        if (status < 200) {
            if (status > 100 && !finalSent) {
                relay(response);
            }
            return;
        }
        if (status < 300) {
            if (branch.finalResponse == null) {
                branch.finalResponse = response;
            }
            // A 2xx always goes upstream, also a second one from another fork (§16.7 step 5).
            if (invite || !finalSent) {
                finalSent = true;
                relay(response);
            }
            if (invite) {
                cancelOthers(branch);
            }
            releaseIfDone();
            return;
        }
        if (branch.finalResponse != null) {
            return;
        }
        branch.finalResponse = response;
        addFinal(response);
        if (status >= 600 && invite) {
            cancelOthers(branch);
        }
        finishIfDone();
    }

    void onTimerC(Branch branch, ClientTransaction tx) {
        if (tx.provisionalReceived()) {
            if (log.isDebugEnabled()) {
                log.debug("Timer C on branch {} of {}: cancelling", branch.index, call());
            }
            cancelBranch(branch);
            cancels.abandonLater(tx);
        } else {
            tx.abandon();
        }
    }

    void onTerminated(Branch branch, EndReason reason) {
        if (branch.finalResponse != null) {
            return;
        }
        SIPResponse synthetic;
        if (reason == EndReason.TRANSPORT_ERROR) {
            synthetic = LocalResponses.create(original, 503, "Next Hop Unreachable");
        } else if (cancelled || branch.cancelSent || branch.cancelWanted) {
            synthetic = LocalResponses.create(original, 487, "Request Terminated");
        } else {
            synthetic = LocalResponses.create(original, 408, "Request Timeout");
        }
        branch.finalResponse = synthetic;
        addFinal(synthetic);
        finishIfDone();
    }

    private void cancelOthers(Branch answered) {
        closed = true;
        for (int i = 0; i < branches.size(); i++) {
            Branch b = branches.get(i);
            if (b != answered) {
                cancelBranch(b);
            }
        }
    }

    /**
     * §9.1: a CANCEL may only follow a provisional response. A branch without one is marked, its
     * CANCEL goes out with its first 1xx (onResponse), and upstream does not wait for it: it
     * counts as 487 at once. Its transaction lives on, so a late 2xx is still relayed (the
     * RFC 3261 race: the caller then ACKs and BYEs it) rather than dropped as a stray.
     */
    private void cancelBranch(Branch b) {
        if (!invite || b.cancelSent || b.tx == null || b.tx.finalReceived() || b.tx.isTerminated()) {
            return;
        }
        if (!b.tx.provisionalReceived()) {
            b.cancelWanted = true;
            if (b.finalResponse == null) {
                b.finalResponse = LocalResponses.create(original, 487, "Request Terminated");
                addFinal(b.finalResponse);
            }
            return;
        }
        b.cancelSent = true;
        try {
            cancels.send(b.sent.createCancelRequest(), b.flow);
        } catch (SipException e) {
            log.warn("cannot build CANCEL for {}: {}", call(), e.toString());
        }
    }

    private void finishIfDone() {
        if (finalSent) {
            releaseIfDone();
            return;
        }
        if (pendingTargets > 0) {
            return;
        }
        for (int i = 0; i < branches.size(); i++) {
            if (!branches.get(i).done()) {
                return;
            }
        }
        finalSent = true;
        if (finals == null) {
            // Every branch answered 2xx (non-INVITE handled above) or the request was cancelled before any branch left.
            if (cancelled) {
                relay(LocalResponses.create(original, 487, "Request Terminated"));
            }
            return;
        }
        SIPResponse chosen = finals.get(BestResponse.choose(finals));
        try {
            relay(BestResponse.prepare(chosen, finals));
        } catch (ParseException e) {
            log.warn("cannot rewrite final response for {}: {}", call(), e.toString());
            relay(chosen);
        }
        releaseIfDone();
    }

    /**
     * Once the final answer went upstream and every branch is done, only the server transaction
     * is still needed (to pass on 2xx retransmissions during Timer L/M): drop the messages, so a
     * context lingering with its transactions for 64*T1 holds almost nothing, and detach it from
     * the server transaction, which lingers longest: a branch whose transaction still lingers
     * keeps the context as its listener, and the context goes with the last of them.
     */
    private void releaseIfDone() {
        if (!finalSent || pendingTargets > 0 || original == null) {
            return;
        }
        for (int i = 0; i < branches.size(); i++) {
            Branch b = branches.get(i);
            if (!b.done() || (b.cancelWanted && !b.cancelSent && !b.tx.finalReceived() && !b.tx.isTerminated())) {
                return;
            }
        }
        original = null;
        finals = null;
        for (int i = 0; i < branches.size(); i++) {
            branches.get(i).release();
        }
        server.attach(null);
        if (settles) {
            settle();
        }
    }

    /**
     * An initial INVITE whose final answer went upstream: if that was a 2xx, its server transaction
     * and the branches' client transactions are in Accepted, only to carry 2xx retransmissions and
     * late 2xx of downstream forks upstream for 64*T1. Those the proxy relays as strays by their
     * Via (§16.7) along the same flow ({@link #settles}), so the transactions settle: they end now,
     * and the layer keeps only the server's key, to absorb retransmitted INVITEs and to answer a
     * CANCEL that crossed the 2xx. Their objects, this context and its branches were most of what
     * a finished call left on the heap for 32 s (docs/architecture.md). Not while a cancelled
     * branch still waits for its 487: a 2xx that crosses that CANCEL must still go upstream
     * through the server transaction. The branches settle only if the server did: one that did not
     * (a failure went upstream, or its key cannot be kept) still carries their 2xx as before.
     */
    private void settle() {
        for (int i = 0; i < branches.size(); i++) {
            ClientTransaction tx = branches.get(i).tx;
            if (tx != null && !tx.finalReceived() && !tx.isTerminated()) {
                return;
            }
        }
        if (!server.settle()) {
            return;
        }
        for (int i = 0; i < branches.size(); i++) {
            ClientTransaction tx = branches.get(i).tx;
            if (tx != null) {
                tx.settle();
            }
        }
    }

    /**
     * Names the call in a log line: its Call-ID while the request is held, else the server
     * transaction (a Call-ID string of its own would linger 64*T1 with every context).
     */
    private String call() {
        SIPRequest request = original;
        return request != null ? "Call-ID " + request.getCallId().getCallId() : "transaction " + server.key();
    }
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 3261 §17 transaction layer of one shard: matches received messages to transactions
 * (§17.1.3, §17.2.3 with the RFC 2543 fallback), creates server transactions for new requests,
 * creates client transactions for requests the TU sends, and keeps the table of live ones.
 *
 * <p>Ownership, not locks (STYLE.md §2.2): every method must be called on {@code shard}, a
 * single-threaded executor. Timer tasks and transport failure callbacks only hand an input to
 * {@code shard}. Terminated transactions leave the table at once (§17.1.1.2, §17.2.1).
 *
 * <p>No 100 Trying is generated here: the TU (the proxy, §16.2) answers INVITEs with 100 at once.
 */
public final class TransactionLayer {
    private static final Logger log = LoggerFactory.getLogger(TransactionLayer.class);

    private final LayerContext context;
    /** Keyed by §17.2.3 server key (ACK under INVITE). */
    private final Map<TransactionKey, FsmTransaction<?, ?>> servers = new HashMap<>();
    /** Keyed by §17.1.3 branch + CSeq method. */
    private final Map<TransactionKey, FsmTransaction<?, ?>> clients = new HashMap<>();

    /**
     * {@code nanoClock} is the time base of {@code timer} ({@link System#nanoTime} for Netty's
     * wheel): the lingering timers are queued by deadline and only their queue's head is given
     * to {@code timer}.
     */
    public TransactionLayer(TransactionSettings settings, Timer timer, LongSupplier nanoClock, Executor shard,
            Transport transport, TransactionUser user) {
        this.context = new LayerContext(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(timer, "timer"), Objects.requireNonNull(nanoClock, "nanoClock"),
                Objects.requireNonNull(shard, "shard"), Objects.requireNonNull(transport, "transport"),
                Objects.requireNonNull(user, "user"), this::remove);
    }

    /** Registers a passive observer; its exceptions are logged and contained. */
    public void addListener(TransactionListener listener) {
        context.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Every request or response received on this shard. Messages without a top Via or CSeq
     * cannot be matched and are dropped (the transport validates before this point).
     */
    public void receive(SIPMessage message, Flow flow) {
        if (message instanceof SIPRequest request) {
            receiveRequest(request, flow);
        } else if (message instanceof SIPResponse response) {
            receiveResponse(response, flow);
        }
    }

    private void receiveRequest(SIPRequest request, Flow flow) {
        TransactionKey key = TransactionKeys.server(request);
        if (key == null) {
            log.debug("request without Via/CSeq dropped: {}", request.getFirstLine());
            return;
        }
        if (Request.ACK.equals(request.getMethod())) {
            receiveAck(request, key, flow);
            return;
        }
        FsmTransaction<?, ?> existing = servers.get(key);
        if (existing instanceof InviteServerTransaction ist) {
            ist.receiveRetransmission(request);
            return;
        }
        if (existing instanceof NonInviteServerTransaction nist) {
            nist.receiveRetransmission(request);
            return;
        }
        if (context.resendKeptFinal(key)) {
            // A non-INVITE transaction completed on UDP, kept as its final's bytes (resent), or a
            // settled INVITE, kept as its key (the retransmission is absorbed).
            return;
        }
        boolean invite = Request.INVITE.equals(request.getMethod());
        if (invite && context.confirmedInvite(key)) {
            return; // a failure's ACK came and the transaction handed its key over: absorbed
        }
        FsmTransaction<?, ?> created = invite
                ? new InviteServerTransaction(context, request, flow, key)
                : new NonInviteServerTransaction(context, request, flow, key);
        servers.put(key, created);
        ServerTransaction tx = (ServerTransaction) created;
        context.serverCreated(tx);
        context.user.onRequest(tx, request);
    }

    private void receiveAck(SIPRequest ack, TransactionKey key, Flow flow) {
        InviteServerTransaction ist = servers.get(key) instanceof InviteServerTransaction found ? found : null;
        if (ist == null && TransactionKeys.isRfc2543(key)) {
            // RFC 2543 initial INVITE had no To tag; the ACK carries the tag of our response.
            FsmTransaction<?, ?> candidate = servers.get(TransactionKeys.rfc2543AckWithoutToTag(ack));
            // The tag, not the response: Accepted and Confirmed no longer hold the response.
            if (candidate instanceof InviteServerTransaction c
                    && TransactionKeys.toTag(ack).equals(c.responseToTag())) {
                ist = c;
            }
        }
        if (ist != null) {
            ist.receiveAck(ack, flow);
        } else if (context.confirmedInvite(key)) {
            // As the transaction in Confirmed would have (§17.2.1).
            log.debug("ACK for confirmed INVITE {} absorbed by its kept key", key);
        } else {
            // The ACK for a 2xx is a transaction of its own (§17): relayed by the TU.
            context.user.onAckWithoutTransaction(ack, flow);
        }
    }

    private void receiveResponse(SIPResponse response, Flow flow) {
        TransactionKey key = TransactionKeys.clientMatch(response);
        FsmTransaction<?, ?> tx = key == null ? null : clients.get(key);
        if (tx instanceof InviteClientTransaction || tx instanceof NonInviteClientTransaction) {
            context.responseSource = flow;
            try {
                if (tx instanceof InviteClientTransaction ict) {
                    ict.receive(response);
                } else {
                    ((NonInviteClientTransaction) tx).receive(response);
                }
            } finally {
                context.responseSource = null;
            }
        } else if (key != null && context.completedClient(key, response.getStatusCode())) {
            log.debug("response for completed client transaction {} answered from its kept key", key);
        } else {
            context.user.onStrayResponse(response, flow);
        }
    }

    /**
     * Creates a client transaction for {@code request} and sends it along {@code flow}. The
     * request already carries its top Via with a unique {@code z9hG4bK} branch. ACK is not sent
     * through a transaction (§17.1.1.3 builds the non-2xx ACK itself; the 2xx ACK is the TU's):
     * send it with {@link Transport#send} directly.
     *
     * @throws IllegalArgumentException for ACK or a request without Via branch or CSeq
     * @throws IllegalStateException when a live client transaction already uses that branch and method
     */
    public ClientTransaction sendRequest(SIPRequest request, Flow flow, ClientTransaction.Listener listener) {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(listener, "listener");
        if (Request.ACK.equals(request.getMethod())) {
            throw new IllegalArgumentException("ACK is not sent through a client transaction");
        }
        TransactionKey match = TransactionKeys.clientMatch(request);
        if (match == null) {
            throw new IllegalArgumentException("request needs a top Via with branch and a CSeq: " + request.getFirstLine());
        }
        if (clients.containsKey(match)) {
            throw new IllegalStateException("branch already in use by a live client transaction: " + match);
        }
        FsmTransaction<?, ?> created = Request.INVITE.equals(request.getMethod())
                ? new InviteClientTransaction(context, request, flow, match, listener)
                : new NonInviteClientTransaction(context, request, flow, match, listener);
        clients.put(match, created);
        ClientTransaction tx = (ClientTransaction) created;
        context.clientCreated(tx);
        created.begin();
        return tx;
    }

    /**
     * Whether a Via of {@code request} carries the branch of one of this layer's live client
     * transactions for the request's method: a request we sent that came back to us (a spiral).
     */
    public boolean sentByUs(SIPRequest request) {
        if (clients.isEmpty() || request.getViaHeaders() == null) {
            return false;
        }
        for (Object v : request.getViaHeaders()) {
            String branch = ((Via) v).getBranch();
            if (branch != null && clients.containsKey(TransactionKeys.client(branch, request.getMethod()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * §9.2: the INVITE server transaction a CANCEL refers to (same top Via branch and sent-by,
     * or under RFC 2543 the same Request-URI, tags, Call-ID, CSeq number and top Via), or null.
     */
    public ServerTransaction findInviteForCancel(SIPRequest cancel) {
        TransactionKey key = TransactionKeys.inviteForCancel(cancel);
        return key != null && servers.get(key) instanceof InviteServerTransaction ist && !ist.isTerminated() ? ist : null;
    }

    /**
     * Whether the INVITE a CANCEL refers to (§9.2, as {@link #findInviteForCancel}) was answered
     * with a 2xx and settled ({@link ServerTransaction#settle}): its transaction has ended, but
     * the layer keeps its key until Timer L would have fired.
     */
    public boolean settledInvite(SIPRequest cancel) {
        TransactionKey key = TransactionKeys.inviteForCancel(cancel);
        return key != null && context.keptKey(key);
    }

    /**
     * Whether the INVITE a CANCEL refers to (§9.2, as {@link #findInviteForCancel}) was answered
     * with a failure and confirmed by its ACK on UDP: its transaction has ended, but the layer
     * keeps its key until Timer I would have fired.
     */
    public boolean confirmedInvite(SIPRequest cancel) {
        TransactionKey key = TransactionKeys.inviteForCancel(cancel);
        return key != null && context.confirmedInvite(key);
    }

    /**
     * Live transactions, client and server (the {@code sipedge_transactions_active} gauge),
     * counting the non-INVITE server transactions in Completed that are kept as their final's
     * bytes, the settled INVITE server transactions kept as their keys until Timer L, the
     * confirmed ones until Timer I, the completed non-INVITE client transactions kept as their
     * keys until Timer K and the INVITE client transactions completed after a failure, kept as
     * their ACKs until Timer D.
     */
    public int activeTransactions() {
        return servers.size() + clients.size() + context.keptFinals();
    }

    /**
     * Transactions still waiting for a final response (server: none sent yet; client: none
     * received yet). The others only linger to absorb retransmissions (up to 64*T1), so a
     * graceful stop waits for these, not for {@link #activeTransactions()}. Call on the shard.
     */
    public int transactionsInProgress() {
        int count = 0;
        for (FsmTransaction<?, ?> tx : servers.values()) {
            if (tx.request() != null) {
                count++;
            }
        }
        for (FsmTransaction<?, ?> tx : clients.values()) {
            if (tx.request() != null) {
                count++;
            }
        }
        return count;
    }

    /** Lingering entries of {@code which} that still hold their transaction, cancelled or not; for tests. */
    int lingerHeld(SipTimer which) {
        return context.lingerHeld(which);
    }

    /** Requests and responses retransmitted by this layer since start ({@code sipedge_retransmissions_total}). */
    public long retransmissions() {
        return context.retransmissions();
    }

    public Transport transport() {
        return context.transport();
    }

    /** By the key computed at creation: a terminated transaction no longer holds its request. */
    private void remove(FsmTransaction<?, ?> tx) {
        Map<TransactionKey, FsmTransaction<?, ?>> table = tx instanceof ServerTransaction ? servers : clients;
        table.remove(tx.key(), tx);
    }
}

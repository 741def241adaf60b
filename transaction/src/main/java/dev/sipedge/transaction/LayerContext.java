package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the state machines of one shard share: settings, the timer, the shard executor, the
 * transport, the transaction user, the passive listeners and the retransmission counter. Lives
 * on the shard; only {@link #onShard} and the timer tasks are used from other threads.
 */
final class LayerContext {
    private static final Logger log = LoggerFactory.getLogger(LayerContext.class);

    final TransactionSettings settings;
    final TransactionUser user;
    private final Timer timer;
    private final LingerTimers lingering;
    private final KeptFinals finals;
    /**
     * The keys of non-INVITE client transactions that completed on UDP, kept until Timer K to
     * absorb their retransmitted finals; a store of its own, since every entry of one is held
     * for the same time (T4 here, 64*T1 there).
     */
    private final KeptFinals completedClients;
    /**
     * The ACKs, as bytes, and keys of INVITE client transactions that completed on UDP after a
     * failure, kept until Timer D to resend the ACK on each retransmitted failure.
     */
    private final KeptFinals completedInvites;
    /**
     * The keys of INVITE server transactions confirmed on UDP (a failure sent, its ACK received),
     * kept until Timer I to absorb retransmitted ACKs and INVITEs.
     */
    private final KeptFinals confirmedInvites;
    private final Executor shard;
    private final Transport transport;
    private final List<TransactionListener> listeners = new ArrayList<>();
    private final Consumer<FsmTransaction<?, ?>> remover;
    /** The flow of the response being handed to a client transaction right now (single-threaded: the shard). */
    Flow responseSource;
    private long retransmissions;

    LayerContext(TransactionSettings settings, Timer timer, LongSupplier nanoClock, Executor shard,
            Transport transport, TransactionUser user, Consumer<FsmTransaction<?, ?>> remover) {
        this.settings = settings;
        this.timer = timer;
        this.lingering = new LingerTimers(timer, nanoClock, this::onShard);
        this.finals = new KeptFinals(timer, nanoClock, this::onShard, KeyHash.secret()::of);
        this.completedClients = new KeptFinals(timer, nanoClock, this::onShard, KeyHash.secret()::of);
        this.completedInvites = new KeptFinals(timer, nanoClock, this::onShard, KeyHash.secret()::of);
        this.confirmedInvites = new KeptFinals(timer, nanoClock, this::onShard, KeyHash.secret()::of);
        this.shard = shard;
        this.transport = transport;
        this.user = user;
        this.remover = remover;
    }

    Transport transport() {
        return transport;
    }

    long retransmissions() {
        return retransmissions + finals.resent() + completedInvites.resent();
    }

    void addListener(TransactionListener listener) {
        listeners.add(listener);
    }

    /** Sends along {@code flow}; failures come back to {@code tx} via the shard. */
    void send(SIPMessage message, Flow flow, FsmTransaction<?, ?> tx, boolean retransmission) {
        if (retransmission) {
            retransmissions++;
        }
        try {
            transport.send(message, flow, tx);
        } catch (RuntimeException e) {
            // A transport must report failures through the listener; treat a throw the same way.
            log.warn("transport threw sending on {}; treating as transport error", flow, e);
            tx.sendFailed(e);
        }
    }

    /** Sends a request written as text ({@link Transport#sendEncoded}); failures come back to {@code tx} via the shard. */
    void sendEncoded(byte[] request, Flow flow, FsmTransaction<?, ?> tx, boolean retransmission) {
        if (retransmission) {
            retransmissions++;
        }
        try {
            transport.sendEncoded(request, flow, tx);
        } catch (RuntimeException e) {
            log.warn("transport threw sending on {}; treating as transport error", flow, e);
            tx.sendFailed(e);
        }
    }

    /**
     * Sends {@code message} along {@code flow} as a first send and returns it kept for resending
     * ({@link Transport#sendKept}); failures come back to {@code tx} via the shard.
     */
    Transport.Kept sendKept(SIPMessage message, Flow flow, FsmTransaction<?, ?> tx) {
        try {
            return transport.sendKept(message, flow, tx);
        } catch (RuntimeException e) {
            log.warn("transport threw sending on {}; treating as transport error", flow, e);
            tx.sendFailed(e);
            return new Transport.KeptMessage(message, flow);
        }
    }

    /** Sends a kept message again: always a retransmission. */
    void resend(Transport.Kept kept, FsmTransaction<?, ?> tx) {
        retransmissions++;
        try {
            transport.resend(kept, tx);
        } catch (RuntimeException e) {
            log.warn("transport threw resending on {}; treating as transport error", tx.flow(), e);
            tx.sendFailed(e);
        }
    }

    /**
     * Hands a completed non-INVITE server transaction's final over to {@link KeptFinals} for
     * Timer J; false when it cannot be kept there and the transaction must linger itself.
     */
    boolean keepFinal(TransactionKey key, Transport.KeptDatagram datagram) {
        return finals.keep(key, datagram, SipTimer.J.duration(settings, false, 0));
    }

    /**
     * Keeps a settled INVITE server transaction's key in {@link KeptFinals} for Timer L; false
     * when it cannot be kept there and the transaction must linger itself.
     */
    boolean keepSettled(TransactionKey key) {
        return finals.keepKey(key, SipTimer.L.duration(settings, false, 0));
    }

    /** Whether {@link KeptFinals} holds {@code key} (a kept final or a settled INVITE), without sending anything. */
    boolean keptKey(TransactionKey key) {
        return finals.contains(key);
    }

    /**
     * Answers a retransmitted request from {@link KeptFinals}: a kept final is sent again, a
     * settled INVITE's retransmission is absorbed. False when nothing is kept for {@code key}.
     */
    boolean resendKeptFinal(TransactionKey key) {
        return resendFrom(finals, key, "final");
    }

    /**
     * Keeps a confirmed INVITE server transaction's key for Timer I; false when it cannot be kept
     * there and the transaction must linger itself.
     */
    boolean keepConfirmed(TransactionKey key) {
        return confirmedInvites.keepKey(key, SipTimer.I.duration(settings, false, 0));
    }

    /**
     * Whether {@code key} is of an INVITE server transaction confirmed and kept until Timer I:
     * its retransmitted ACKs and INVITEs are absorbed, as in Confirmed (§17.2.1).
     */
    boolean confirmedInvite(TransactionKey key) {
        return confirmedInvites.contains(key);
    }

    /**
     * Keeps a completed non-INVITE client transaction's key for Timer K; false when it cannot be
     * kept there and the transaction must linger itself.
     */
    boolean keepCompletedClient(TransactionKey key) {
        return completedClients.keepKey(key, SipTimer.K.duration(settings, false, 0));
    }

    /**
     * Hands an INVITE client transaction's ACK, sent after a failure, over to a store for Timer D;
     * false when it cannot be kept there and the transaction must linger itself.
     */
    boolean keepCompletedInvite(TransactionKey key, Transport.KeptDatagram ack) {
        return completedInvites.keep(key, ack, SipTimer.D.duration(settings, false, 0));
    }

    /**
     * Answers a response that matches no live client transaction for one that completed and is
     * kept: a non-INVITE one absorbs it (§17.1.2.2); an INVITE one resends its ACK for a failure
     * and absorbs the rest (§17.1.1.2), as the transactions in Completed would have. False when
     * nothing is kept for {@code key}.
     */
    boolean completedClient(TransactionKey key, int status) {
        if (completedClients.contains(key)) {
            return true;
        }
        if (status < 300) {
            return completedInvites.contains(key);
        }
        return resendFrom(completedInvites, key, "ACK");
    }

    /** Sends again what {@code store} keeps for {@code key}; false when it keeps nothing for it. */
    private boolean resendFrom(KeptFinals store, TransactionKey key, String what) {
        try {
            return store.resend(key, transport);
        } catch (RuntimeException e) {
            // Only the send throws, so something was kept and the message is not new. Its
            // transaction has ended, so nobody is told; the entry answers the next retransmission.
            log.warn("transport threw resending a kept {} for {}", what, key, e);
            return true;
        }
    }

    /**
     * Finals kept for completed non-INVITE server transactions, settled and confirmed INVITEs'
     * keys, the keys of completed non-INVITE client transactions and the ACKs of failed INVITE
     * client ones.
     */
    int keptFinals() {
        return finals.size() + confirmedInvites.size() + completedClients.size() + completedInvites.size();
    }

    /**
     * Schedules {@code timerFired} on the shard after {@code delay}. The timer thread only
     * hands the input over (STYLE.md §2.5); it never touches transaction state.
     */
    Timeout schedule(FsmTransaction<?, ?> tx, SipTimer which, Duration delay) {
        TimerTask task = timeout -> onShard(() -> tx.timerFired(which, timeout));
        return timer.newTimeout(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Queues a lingering timer ({@link SipTimer#lingers()}); it fires as {@code tx.lingerExpired(which)}. */
    void linger(FsmTransaction<?, ?> tx, SipTimer which, Duration delay) {
        lingering.start(tx, which, delay);
    }

    void lingerCancelled(FsmTransaction<?, ?> tx, SipTimer which) {
        lingering.cancelled(tx, which);
    }

    /** Lingering entries of {@code which} still holding their transaction; for tests. */
    int lingerHeld(SipTimer which) {
        return lingering.held(which);
    }

    /** Runs {@code action} on the shard; used by timer and transport threads. */
    void onShard(Runnable action) {
        try {
            shard.execute(action);
        } catch (RejectedExecutionException e) {
            // The shard is shutting down: its transactions die with it.
            log.debug("shard rejected a transaction input during shutdown", e);
        }
    }

    /** Called once when a transaction enters Terminated: drop it from the table, tell observers. */
    void ended(FsmTransaction<?, ?> tx, EndReason reason) {
        remover.accept(tx);
        for (TransactionListener l : listeners) {
            try {
                l.transactionEnded(tx, reason);
            } catch (RuntimeException e) {
                log.error("transaction listener {} failed in transactionEnded", l, e);
            }
        }
    }

    void serverCreated(ServerTransaction tx) {
        for (TransactionListener l : listeners) {
            try {
                l.serverTransactionCreated(tx);
            } catch (RuntimeException e) {
                log.error("transaction listener {} failed in serverTransactionCreated", l, e);
            }
        }
    }

    void clientCreated(ClientTransaction tx) {
        for (TransactionListener l : listeners) {
            try {
                l.clientTransactionCreated(tx);
            } catch (RuntimeException e) {
                log.error("transaction listener {} failed in clientTransactionCreated", l, e);
            }
        }
    }

    void responseReceived(ClientTransaction tx, SIPResponse response) {
        for (TransactionListener l : listeners) {
            try {
                l.responseReceived(tx, response, responseSource);
            } catch (RuntimeException e) {
                log.error("transaction listener {} failed in responseReceived", l, e);
            }
        }
    }

    void responseSent(ServerTransaction tx, SIPResponse response) {
        for (TransactionListener l : listeners) {
            try {
                l.responseSent(tx, response);
            } catch (RuntimeException e) {
                log.error("transaction listener {} failed in responseSent", l, e);
            }
        }
    }
}

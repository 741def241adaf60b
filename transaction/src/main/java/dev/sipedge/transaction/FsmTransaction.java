package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery the four RFC 3261 §17 state machines share (STYLE.md §2.4): one {@link #step}
 * that runs the per-input effects ({@link #act}), asks the pure transition function for the next
 * state, cancels the timers the new state does not own, and runs the new state's entry action.
 *
 * <p>Inputs that arrive while a step runs (a zero-length timer on a reliable transport, a
 * synchronous transport failure, the TU calling back into the same transaction) are queued and
 * run after it, so every step sees a consistent state.
 *
 * <p>Lingering states (Completed, Confirmed, Accepted, Terminated) can last 64*T1 and there are
 * tens of thousands of them under load, so a transaction drops every message it will not send
 * or match with again as it enters such a state: the request when {@link #keepsRequest} says so,
 * and the concrete machine drops its own responses and ACK in its entry action. Everything the
 * layer needs later (flow, key) is computed at creation.
 *
 * @param <S> the state enum
 * @param <I> the input enum
 */
abstract class FsmTransaction<S extends Enum<S>, I extends Enum<I>> implements Transaction, Transport.FailureListener {
    private static final Logger log = LoggerFactory.getLogger(FsmTransaction.class);

    private record Pending<I>(I input, SIPMessage message) {
    }

    final LayerContext layer;
    /** Null once the machine is in a state that never sends or matches with it again. */
    private SIPRequest request;
    private final Flow flow;
    /** Also the key the layer's table holds this transaction under, so removal needs no message. */
    private final TransactionKey key;
    private final TimerSlots slots;
    /**
     * Running timers' handles, by the machine's slot of each timer; made when the first starts and
     * dropped when a state keeps none, so a lingering transaction holds no array.
     */
    private Timeout[] timeouts;
    /** The lingering timer queued in {@link LingerTimers} for this transaction, if one runs. */
    private SipTimer queued;
    /** Inputs that arrived during a step; made on first use, as most transactions never queue one. */
    private ArrayDeque<Pending<I>> pending;
    private boolean stepping;
    /**
     * Set when a lingering timer is queued: a transaction lingers once, and a cancelled queue
     * entry is only skipped at its deadline, so a second one could be taken for the first.
     */
    private boolean lingered;
    private Object attachment;
    /** The input that led into the current state; tells Terminated why it was entered. */
    I cause;
    S state;

    FsmTransaction(LayerContext layer, SIPRequest request, Flow flow, TransactionKey key, S initial, TimerSlots slots) {
        this.layer = layer;
        this.slots = slots;
        this.request = request;
        this.flow = flow;
        this.key = key;
        this.state = initial;
    }

    /** The pure transition table of the concrete machine. */
    abstract S transition(S from, I input);

    /** Per-input effects in state {@code from}; never changes the state. */
    abstract void act(S from, I input, SIPMessage message);

    /** Entry action of {@code to}: start its timers; on Terminated, report the end. */
    abstract void enter(S to);

    /** Whether {@code state} may still send the request or build from it; if not it is dropped on entry. */
    abstract boolean keepsRequest(S state);

    /** The timers that may keep running while in {@code state}; the rest are cancelled on entry. */
    abstract Set<SipTimer> timersOf(S state);

    /** The input a timer delivers. */
    abstract I timerInput(SipTimer timer);

    /** The input a transport failure delivers. */
    abstract I transportErrorInput();

    final boolean reliable() {
        return flow.transport().reliable();
    }

    /** Runs the entry action of the initial state (a client transaction sends its request here). */
    final void begin() {
        stepping = true;
        try {
            enter(state);
            drain();
        } finally {
            stepping = false;
        }
    }

    /** Feeds one input through the machine, or queues it when a step is already running. */
    final void step(I input, SIPMessage message) {
        if (stepping) {
            if (pending == null) {
                pending = new ArrayDeque<>(2);
            }
            pending.add(new Pending<>(input, message));
            return;
        }
        stepping = true;
        try {
            apply(input, message);
            drain();
        } finally {
            stepping = false;
        }
    }

    private void drain() {
        if (pending == null) {
            return;
        }
        Pending<I> next;
        while ((next = pending.poll()) != null) {
            apply(next.input(), next.message());
        }
    }

    private void apply(I input, SIPMessage message) {
        S from = state;
        act(from, input, message);
        S to = transition(from, input);
        if (to == from) {
            return;
        }
        log.trace("{} {}: {} --{}--> {}", getClass().getSimpleName(), key, from, input, to);
        state = to;
        cause = input;
        if (!keepsRequest(to)) {
            request = null; // act() above was the last use (e.g. building the non-2xx ACK)
        }
        cancelTimersBut(timersOf(to));
        enter(to);
    }

    private void cancelTimersBut(Set<SipTimer> keep) {
        if (queued != null && !keep.contains(queued)) {
            cancelTimer(queued);
        }
        if (timeouts == null) {
            return;
        }
        boolean anyLeft = false;
        for (int slot = 0; slot < timeouts.length; slot++) {
            if (timeouts[slot] != null && !keep.contains(slots.timer(slot))) {
                cancelTimer(slots.timer(slot));
            }
            anyLeft |= timeouts[slot] != null;
        }
        if (!anyLeft) {
            timeouts = null;
        }
    }

    /**
     * Starts (or restarts) {@code timer}; a zero duration fires it at once, after this step. A
     * lingering timer ({@link SipTimer#lingers()}) is queued, once in a transaction's life.
     */
    final void startTimer(SipTimer timer, Duration delay) {
        cancelTimer(timer);
        if (delay.isZero()) {
            step(timerInput(timer), null);
        } else if (timer.lingers()) {
            if (lingered) {
                throw new IllegalStateException("a second lingering timer " + timer + " on " + key);
            }
            lingered = true;
            queued = timer;
            layer.linger(this, timer, delay);
        } else {
            if (timeouts == null) {
                timeouts = new Timeout[slots.size()];
            }
            timeouts[slots.slotOf(timer)] = layer.schedule(this, timer, delay);
        }
    }

    final void startTimer(SipTimer timer, int retransmissionsSoFar) {
        startTimer(timer, timer.duration(layer.settings, reliable(), retransmissionsSoFar));
    }

    final void cancelTimer(SipTimer timer) {
        if (timer == queued) {
            queued = null;
            layer.lingerCancelled(this, timer);
            return;
        }
        int slot = slots.slotOf(timer);
        if (timeouts != null && timeouts[slot] != null) {
            timeouts[slot].cancel();
            timeouts[slot] = null;
        }
    }

    final boolean timerRunning(SipTimer timer) {
        return timer == queued || (timeouts != null && timeouts[slots.slotOf(timer)] != null);
    }

    /** On the shard: a timer task's hand-off. Stale handles (cancelled or restarted) are ignored. */
    final void timerFired(SipTimer timer, Timeout handle) {
        int slot = slots.slotOf(timer);
        if (timeouts == null || timeouts[slot] != handle) {
            log.debug("stale timer {} ignored on {}", timer, key);
            return;
        }
        timeouts[slot] = null;
        step(timerInput(timer), null);
    }

    /**
     * On the shard: {@link LingerTimers} reached this transaction's deadline for {@code timer}.
     * Returns whether it was still waiting for it (not cancelled since).
     */
    final boolean lingerExpired(SipTimer timer) {
        if (queued != timer) {
            log.debug("cancelled lingering timer {} skipped on {}", timer, key);
            return false;
        }
        queued = null;
        step(timerInput(timer), null);
        return true;
    }

    /** From a transport thread: hand the failure to the shard (§17.1.4, §17.2.4). */
    @Override
    public final void sendFailed(Throwable cause) {
        layer.onShard(() -> {
            log.debug("transport error on {} ({}): {}", key, flow, String.valueOf(cause));
            step(transportErrorInput(), null);
        });
    }

    final void ignored(S in, I input) {
        log.debug("{} {} ignored {} in {}", getClass().getSimpleName(), key, input, in);
    }

    @Override
    public final SIPRequest request() {
        return request;
    }

    @Override
    public final Flow flow() {
        return flow;
    }

    @Override
    public final TransactionKey key() {
        return key;
    }

    @Override
    public final Object attachment() {
        return attachment;
    }

    @Override
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** The current state, for tests and logs. */
    final S state() {
        return state;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + key + " " + state + "]";
    }
}

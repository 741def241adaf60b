package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17.1.1 INVITE client transaction, amended by RFC 6026 §8.4 (Accepted state, Timer M),
 * with the proxy's Timer C (§16.8) running while no final response has arrived.
 *
 * <pre>
 *                         | INVITE sent; start A (unreliable), B, C
 *   Timer A: resend,      V
 *   A = 2*A        +-------------+  Timer B, transport error, abandon()
 *          +-------|   Calling   |------------------------------------+
 *          +------&gt;|             |-----------+ 2xx: to TU             |
 *                  +-------------+           |                        |
 *        300-699:     | 1xx: to TU, reset C  |                        |
 *        send ACK,    V                      |                        |
 *        to TU   +-------------+  2xx: to TU |                        |
 *     +----------|  Proceeding |-------------+                        |
 *     |          +-------------+ transport error, abandon() ----------+
 *     |       1xx: to TU, reset C (self)     |                        |
 *     V                                      V                        |
 * +-------------+ 300-699: resend ACK  +-------------+ 2xx: to TU     |
 * |  Completed  |&lt;--+ (self)           |  Accepted   |&lt;--+ (self)     |
 * +-------------+---+                  +-------------+---+            |
 *     | Timer D (0 on reliable)              | Timer M                |
 *     V                                      V                        V
 * +---------------------------------------------------------------------+
 * |                             Terminated                              |
 * +---------------------------------------------------------------------+
 * </pre>
 *
 * Timer C firing in Calling or Proceeding is reported with {@link Listener#onTimerC}; the
 * proxy decides between CANCEL and {@link #abandon()}.
 *
 * <p>What each state keeps: Calling and Proceeding the INVITE (Timer A, the non-2xx ACK is written
 * from it); Completed only that ACK, as the bytes it went out as (resent on each retransmitted
 * final, §17.1.1.2); Accepted nothing (every 2xx goes to the TU, which ACKs it itself). On UDP,
 * where Completed lasts Timer D (32 s), the ACK's bytes and the key are handed on entering
 * Completed to the layer's {@link KeptFinals}: the layer resends them on each retransmitted
 * failure and absorbs other responses until Timer D, and this object ends at once (Timer D = 0
 * for it, as on a reliable flow). Otherwise it, and what its listener holds (a proxied branch's
 * response context with the server transaction), would stay reachable for those 32 s after every
 * failed call. It lingers itself only when the store cannot take its key, or when the flow's remote
 * address is unresolved (nothing to resend to).
 */
final class InviteClientTransaction extends FsmTransaction<InviteClientTransaction.State, InviteClientTransaction.Input>
        implements ClientTransaction {
    private static final Logger log = LoggerFactory.getLogger(InviteClientTransaction.class);

    enum State { CALLING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    enum Input { PROVISIONAL, SUCCESS, FAILURE, TIMER_A, TIMER_B, TIMER_C, TIMER_D, TIMER_M, TRANSPORT_ERROR, ABANDON, SETTLE }

    private static final TimerSlots SLOTS = TimerSlots.of(SipTimer.A, SipTimer.B, SipTimer.C, SipTimer.D, SipTimer.M);
    private static final Set<SipTimer> CALLING_TIMERS = EnumSet.of(SipTimer.A, SipTimer.B, SipTimer.C);
    private static final Set<SipTimer> PROCEEDING_TIMERS = EnumSet.of(SipTimer.C);
    private static final Set<SipTimer> COMPLETED_TIMERS = EnumSet.of(SipTimer.D);
    private static final Set<SipTimer> ACCEPTED_TIMERS = EnumSet.of(SipTimer.M);
    private static final Set<SipTimer> NO_TIMERS = EnumSet.noneOf(SipTimer.class);

    private final Listener listener;
    private int retransmissions;
    /**
     * The ACK for the non-2xx final response, as the bytes it went out as; kept only while in
     * Completed, and on UDP handed to the layer on entering it.
     */
    private byte[] ack;
    private boolean provisionalReceived;
    private boolean finalReceived;

    InviteClientTransaction(LayerContext layer, SIPRequest invite, Flow flow, TransactionKey key, Listener listener) {
        super(layer, invite, flow, key, State.CALLING, SLOTS);
        this.listener = listener;
    }

    /** The whole transition table; side-effect free. */
    static State next(State state, Input input) {
        return switch (state) {
            case CALLING -> switch (input) {
                case PROVISIONAL -> State.PROCEEDING;
                case SUCCESS -> State.ACCEPTED;
                case FAILURE -> State.COMPLETED;
                case TIMER_B, TRANSPORT_ERROR, ABANDON -> State.TERMINATED;
                default -> State.CALLING;
            };
            case PROCEEDING -> switch (input) {
                case SUCCESS -> State.ACCEPTED;
                case FAILURE -> State.COMPLETED;
                case TRANSPORT_ERROR, ABANDON -> State.TERMINATED;
                default -> State.PROCEEDING;
            };
            // Nothing is sent in Completed but ACKs; a failure sending one ends the transaction (§17.1.4).
            case COMPLETED -> input == Input.TIMER_D || input == Input.TRANSPORT_ERROR ? State.TERMINATED : State.COMPLETED;
            case ACCEPTED -> input == Input.TIMER_M ? State.TERMINATED : State.ACCEPTED;
            case TERMINATED -> State.TERMINATED;
        };
    }

    /** How a transaction that entered Terminated because of {@code cause} ended. */
    static EndReason endReason(Input cause) {
        return switch (cause) {
            case TIMER_B, ABANDON -> EndReason.TIMEOUT;
            case TRANSPORT_ERROR -> EndReason.TRANSPORT_ERROR;
            default -> EndReason.COMPLETED;
        };
    }

    /** A response matched to this transaction (§17.1.3). */
    void receive(SIPResponse response) {
        int code = response.getStatusCode();
        step(code < 200 ? Input.PROVISIONAL : code < 300 ? Input.SUCCESS : Input.FAILURE, response);
    }

    @Override
    void act(State from, Input input, SIPMessage message) {
        boolean waiting = from == State.CALLING || from == State.PROCEEDING;
        switch (input) {
            case PROVISIONAL -> {
                if (waiting) {
                    provisionalReceived = true;
                    if (((SIPResponse) message).getStatusCode() > 100) {
                        startTimer(SipTimer.C, 0); // §16.7 step 2: reset by 101-199, not by 100
                    }
                    passUp((SIPResponse) message);
                } else {
                    ignored(from, input);
                }
            }
            case SUCCESS -> {
                if (waiting || from == State.ACCEPTED) {
                    finalReceived = true;
                    passUp((SIPResponse) message); // RFC 6026 §8.4: every 2xx goes to the TU
                } else {
                    ignored(from, input);
                }
            }
            case FAILURE -> {
                if (waiting) {
                    finalReceived = true;
                    ack = AckBuilder.forNon2xx(request(), (SIPResponse) message);
                    layer.sendEncoded(ack, flow(), this, false);
                    passUp((SIPResponse) message);
                } else if (from == State.COMPLETED) {
                    layer.sendEncoded(ack, flow(), this, true); // §17.1.1.2: absorb, resend the ACK
                } else {
                    ignored(from, input);
                }
            }
            case TIMER_A -> {
                if (from == State.CALLING) {
                    retransmissions++;
                    layer.send(request(), flow(), this, true);
                    startTimer(SipTimer.A, retransmissions);
                }
            }
            case TIMER_C -> {
                if (waiting) {
                    try {
                        listener.onTimerC(this);
                    } catch (RuntimeException e) {
                        log.error("client listener failed in onTimerC for {}", key(), e);
                    }
                }
            }
            case ABANDON -> {
                if (!waiting) {
                    ignored(from, input);
                }
            }
            case SETTLE -> {
                // The TU takes no more 2xx through us: later ones match nothing and reach it as
                // strays; the transaction ends now (Timer M = 0).
                if (from == State.ACCEPTED) {
                    startTimer(SipTimer.M, Duration.ZERO);
                } else {
                    ignored(from, input);
                }
            }
            default -> {
                // B, D, M and transport errors only change the state (see next()).
            }
        }
    }

    private void passUp(SIPResponse response) {
        layer.responseReceived(this, response);
        try {
            listener.onResponse(this, response);
        } catch (RuntimeException e) {
            log.error("client listener failed in onResponse for {}", key(), e);
        }
    }

    @Override
    void enter(State to) {
        switch (to) {
            case CALLING -> {
                layer.send(request(), flow(), this, false);
                if (!reliable()) {
                    startTimer(SipTimer.A, 0);
                }
                startTimer(SipTimer.B, 0);
                startTimer(SipTimer.C, 0);
            }
            case COMPLETED -> {
                if (!reliable() && !flow().remote().isUnresolved() && layer.keepCompletedInvite(key(),
                        new Transport.KeptDatagram(ack, flow().local(), flow().remote()))) {
                    ack = null;
                    startTimer(SipTimer.D, Duration.ZERO); // the layer answers retransmitted finals from here
                } else {
                    startTimer(SipTimer.D, 0);
                }
            }
            case ACCEPTED -> startTimer(SipTimer.M, 0);
            case TERMINATED -> {
                ack = null;
                EndReason reason = endReason(cause);
                layer.ended(this, reason);
                try {
                    listener.onTerminated(this, reason);
                } catch (RuntimeException e) {
                    log.error("client listener failed in onTerminated for {}", key(), e);
                }
            }
            default -> {
                // Proceeding keeps Timer C, restarted by act() on each provisional.
            }
        }
    }

    @Override
    boolean keepsRequest(State s) {
        return s == State.CALLING || s == State.PROCEEDING;
    }

    /** The ACK kept for retransmitted non-2xx finals, or null; for tests. */
    byte[] ack() {
        return ack;
    }

    @Override
    Set<SipTimer> timersOf(State s) {
        return switch (s) {
            case CALLING -> CALLING_TIMERS;
            case PROCEEDING -> PROCEEDING_TIMERS;
            case COMPLETED -> COMPLETED_TIMERS;
            case ACCEPTED -> ACCEPTED_TIMERS;
            case TERMINATED -> NO_TIMERS;
        };
    }

    @Override
    Input timerInput(SipTimer timer) {
        return switch (timer) {
            case A -> Input.TIMER_A;
            case B -> Input.TIMER_B;
            case C -> Input.TIMER_C;
            case D -> Input.TIMER_D;
            case M -> Input.TIMER_M;
            default -> throw new IllegalArgumentException("no timer " + timer + " on an INVITE client transaction");
        };
    }

    @Override
    Input transportErrorInput() {
        return Input.TRANSPORT_ERROR;
    }

    @Override
    State transition(State from, Input input) {
        return next(from, input);
    }

    @Override
    public boolean provisionalReceived() {
        return provisionalReceived;
    }

    @Override
    public boolean finalReceived() {
        return finalReceived;
    }

    @Override
    public void abandon() {
        step(Input.ABANDON, null);
    }

    @Override
    public void settle() {
        step(Input.SETTLE, null);
    }

    @Override
    public boolean isInvite() {
        return true;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }
}

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
 * RFC 3261 §17.1.2 non-INVITE client transaction.
 *
 * <pre>
 *                          | request sent; start E (unreliable), F
 *   Timer E: resend,       V
 *   E = min(2E, T2) +-------------+  Timer F, transport error, abandon()
 *          +--------|   Trying    |--------------------------------+
 *          +-------&gt;|             |                                |
 *                   +-------------+                                |
 *     200-699: to TU  |        | 1xx: to TU                        |
 *          +----------+        V                                   |
 *          |        +-------------+  Timer F, transport error,     |
 *          |        | Proceeding  |  abandon()  -------------------+
 *          |        +-------------+                                |
 *          |     1xx: to TU; Timer E: resend, E = T2 (self)        |
 *          |  200-699: to TU  |                                    |
 *          V                  V                                    |
 *        +-------------+                                           |
 *        |  Completed  |  final retransmissions absorbed           |
 *        +-------------+                                           |
 *          | Timer K (T4; 0 on reliable)                           |
 *          V                                                       V
 *        +----------------------------------------------------------+
 *        |                       Terminated                         |
 *        +----------------------------------------------------------+
 * </pre>
 *
 * Trying and Proceeding keep the request (Timer E); Completed keeps nothing, since retransmitted
 * finals are absorbed. On UDP, where Completed lasts T4 (5 s), the key is handed to the layer's
 * {@link KeptFinals} on entering it: the layer absorbs the retransmitted finals from there until
 * Timer K, and this object ends at once (Timer K = 0 for it, as on a reliable flow). Otherwise it,
 * and what its listener holds (a proxied BYE's response context with its ended server
 * transaction), would stay reachable for those 5 s. It lingers itself only when the store cannot
 * take its key.
 */
final class NonInviteClientTransaction
        extends FsmTransaction<NonInviteClientTransaction.State, NonInviteClientTransaction.Input>
        implements ClientTransaction {
    private static final Logger log = LoggerFactory.getLogger(NonInviteClientTransaction.class);

    enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    enum Input { PROVISIONAL, FINAL, TIMER_E, TIMER_F, TIMER_K, TRANSPORT_ERROR, ABANDON }

    private static final TimerSlots SLOTS = TimerSlots.of(SipTimer.E, SipTimer.F, SipTimer.K);
    private static final Set<SipTimer> WAITING_TIMERS = EnumSet.of(SipTimer.E, SipTimer.F);
    private static final Set<SipTimer> COMPLETED_TIMERS = EnumSet.of(SipTimer.K);
    private static final Set<SipTimer> NO_TIMERS = EnumSet.noneOf(SipTimer.class);

    private final Listener listener;
    private int retransmissions;
    private boolean provisionalReceived;
    private boolean finalReceived;

    NonInviteClientTransaction(LayerContext layer, SIPRequest request, Flow flow, TransactionKey key,
            Listener listener) {
        super(layer, request, flow, key, State.TRYING, SLOTS);
        this.listener = listener;
    }

    /** The whole transition table; side-effect free. */
    static State next(State state, Input input) {
        return switch (state) {
            case TRYING, PROCEEDING -> switch (input) {
                case PROVISIONAL -> State.PROCEEDING;
                case FINAL -> State.COMPLETED;
                case TIMER_F, TRANSPORT_ERROR, ABANDON -> State.TERMINATED;
                default -> state;
            };
            case COMPLETED -> input == Input.TIMER_K ? State.TERMINATED : State.COMPLETED;
            case TERMINATED -> State.TERMINATED;
        };
    }

    /** How a transaction that entered Terminated because of {@code cause} ended. */
    static EndReason endReason(Input cause) {
        return switch (cause) {
            case TIMER_F, ABANDON -> EndReason.TIMEOUT;
            case TRANSPORT_ERROR -> EndReason.TRANSPORT_ERROR;
            default -> EndReason.COMPLETED;
        };
    }

    /** A response matched to this transaction (§17.1.3). */
    void receive(SIPResponse response) {
        step(response.getStatusCode() < 200 ? Input.PROVISIONAL : Input.FINAL, response);
    }

    @Override
    void act(State from, Input input, SIPMessage message) {
        boolean waiting = from == State.TRYING || from == State.PROCEEDING;
        switch (input) {
            case PROVISIONAL, FINAL -> {
                if (waiting) {
                    if (input == Input.PROVISIONAL) {
                        provisionalReceived = true;
                    } else {
                        finalReceived = true;
                    }
                    passUp((SIPResponse) message);
                } else {
                    ignored(from, input); // §17.1.2.2: retransmitted finals are absorbed in Completed
                }
            }
            case TIMER_E -> {
                if (waiting) {
                    retransmissions++;
                    layer.send(request(), flow(), this, true);
                    // §17.1.2.2: back-off in Trying, a steady T2 once a provisional has come.
                    startTimer(SipTimer.E, from == State.TRYING
                            ? SipTimer.backoff(retransmissions, layer.settings.t1(), layer.settings.t2())
                            : layer.settings.t2());
                }
            }
            case ABANDON -> {
                if (!waiting) {
                    ignored(from, input);
                }
            }
            default -> {
                // F, K and transport errors only change the state (see next()).
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
            case TRYING -> {
                layer.send(request(), flow(), this, false);
                if (!reliable()) {
                    startTimer(SipTimer.E, 0);
                }
                startTimer(SipTimer.F, 0);
            }
            case COMPLETED -> {
                if (!reliable() && layer.keepCompletedClient(key())) {
                    startTimer(SipTimer.K, Duration.ZERO); // the layer absorbs retransmitted finals from here
                } else {
                    startTimer(SipTimer.K, 0);
                }
            }
            case TERMINATED -> {
                EndReason reason = endReason(cause);
                layer.ended(this, reason);
                try {
                    listener.onTerminated(this, reason);
                } catch (RuntimeException e) {
                    log.error("client listener failed in onTerminated for {}", key(), e);
                }
            }
            default -> {
                // Proceeding keeps E and F running from Trying.
            }
        }
    }

    @Override
    boolean keepsRequest(State s) {
        return s == State.TRYING || s == State.PROCEEDING;
    }

    @Override
    Set<SipTimer> timersOf(State s) {
        return switch (s) {
            case TRYING, PROCEEDING -> WAITING_TIMERS;
            case COMPLETED -> COMPLETED_TIMERS;
            case TERMINATED -> NO_TIMERS;
        };
    }

    @Override
    Input timerInput(SipTimer timer) {
        return switch (timer) {
            case E -> Input.TIMER_E;
            case F -> Input.TIMER_F;
            case K -> Input.TIMER_K;
            default -> throw new IllegalArgumentException("no timer " + timer + " on a non-INVITE client transaction");
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
    public boolean isInvite() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }
}

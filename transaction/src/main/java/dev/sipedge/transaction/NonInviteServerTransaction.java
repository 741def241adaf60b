package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * RFC 3261 §17.2.2 non-INVITE server transaction (also used for CANCEL, which is its own
 * transaction, §9.2).
 *
 * <pre>
 *                      | request received: TU told
 *  request: absorbed   V
 *              +-------------+
 *     +--------|   Trying    |-----------------------------------+
 *     +-------&gt;|             |  transport error                  |
 *              +-------------+                                   |
 *  1xx from TU:   |       | 200-699 from TU: send                |
 *  send           V       +----------+                           |
 *              +-------------+       |                           |
 *              | Proceeding  |-------|---------------------------+
 *              +-------------+       |  transport error          |
 *  1xx from TU: send; request:       |                           |
 *  resend last 1xx (self)            |                           |
 *     200-699 from TU: send |        |                           |
 *                           V        V                           |
 *                        +-------------+                         |
 *                        |  Completed  |  request: resend final  |
 *                        +-------------+  transport error -------+
 *                           | Timer J (64*T1; 0 on reliable)     |
 *                           V                                    V
 *              +-------------------------------------------------------+
 *              |                      Terminated                       |
 *              +-------------------------------------------------------+
 * </pre>
 *
 * Trying and Proceeding keep the request for the TU; Completed keeps only the final response,
 * resent on each retransmitted request; Terminated keeps nothing. On UDP, where Completed lasts
 * 64*T1 (32 s), the final is kept as the bytes the transport sent ({@link Transport#sendKept}),
 * and those are handed to the layer's {@link KeptFinals} on entering Completed: the layer answers
 * the retransmissions from there until Timer J, and this object ends at once (Timer J = 0 for
 * it, as on a reliable flow). It lingers itself only when the transport kept the message, not
 * bytes, or the store cannot take its key.
 */
final class NonInviteServerTransaction
        extends FsmTransaction<NonInviteServerTransaction.State, NonInviteServerTransaction.Input>
        implements ServerTransaction {

    enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    enum Input { REQUEST_RETRANSMITTED, SEND_PROVISIONAL, SEND_FINAL, TIMER_J, TRANSPORT_ERROR }

    private static final TimerSlots SLOTS = TimerSlots.of(SipTimer.J);
    private static final Set<SipTimer> COMPLETED_TIMERS = EnumSet.of(SipTimer.J);
    private static final Set<SipTimer> NO_TIMERS = EnumSet.noneOf(SipTimer.class);

    /** Proceeding: the last provisional; Completed on a reliable flow: the final, briefly. */
    private SIPResponse lastResponse;
    /**
     * The final response as the transport kept it when sending it on UDP: handed to the layer on
     * entering Completed, or, when the layer cannot take it, resent from here on request retransmissions.
     */
    private Transport.Kept keptFinal;

    NonInviteServerTransaction(LayerContext layer, SIPRequest request, Flow flow, TransactionKey key) {
        super(layer, request, flow, key, State.TRYING, SLOTS);
    }

    /** The whole transition table; side-effect free. */
    static State next(State state, Input input) {
        return switch (state) {
            case TRYING, PROCEEDING -> switch (input) {
                case SEND_PROVISIONAL -> State.PROCEEDING;
                case SEND_FINAL -> State.COMPLETED;
                case TRANSPORT_ERROR -> State.TERMINATED;
                default -> state;
            };
            case COMPLETED -> input == Input.TIMER_J || input == Input.TRANSPORT_ERROR ? State.TERMINATED : State.COMPLETED;
            case TERMINATED -> State.TERMINATED;
        };
    }

    /** How a transaction that entered Terminated because of {@code cause} ended. */
    static EndReason endReason(Input cause) {
        return cause == Input.TRANSPORT_ERROR ? EndReason.TRANSPORT_ERROR : EndReason.COMPLETED;
    }

    /** A retransmission of the request that created this transaction. */
    void receiveRetransmission(SIPRequest request) {
        step(Input.REQUEST_RETRANSMITTED, request);
    }

    @Override
    public void respond(SIPResponse response) {
        step(response.getStatusCode() < 200 ? Input.SEND_PROVISIONAL : Input.SEND_FINAL, response);
    }

    @Override
    public SIPResponse lastResponse() {
        return lastResponse;
    }

    @Override
    void act(State from, Input input, SIPMessage message) {
        switch (input) {
            case REQUEST_RETRANSMITTED -> {
                // §17.2.2: discarded in Trying; the last response is resent in Proceeding and Completed.
                if (from == State.COMPLETED && keptFinal != null) {
                    layer.resend(keptFinal, this);
                } else if (from != State.TRYING && from != State.TERMINATED && lastResponse != null) {
                    layer.send(lastResponse, flow(), this, true);
                } else {
                    ignored(from, input);
                }
            }
            case SEND_PROVISIONAL, SEND_FINAL -> {
                if (from == State.TRYING || from == State.PROCEEDING) {
                    lastResponse = (SIPResponse) message;
                    if (input == Input.SEND_FINAL && !flow().transport().reliable()) {
                        keptFinal = layer.sendKept(lastResponse, flow(), this);
                    } else {
                        layer.send(lastResponse, flow(), this, false);
                    }
                    layer.responseSent(this, lastResponse);
                } else {
                    ignored(from, input);
                }
            }
            default -> {
                // J and transport errors only change the state (see next()).
            }
        }
    }

    @Override
    void enter(State to) {
        switch (to) {
            case COMPLETED -> {
                if (keptFinal != null) {
                    lastResponse = null; // UDP: the final lives on in the form kept when it was sent
                }
                if (keptFinal instanceof Transport.KeptDatagram datagram && layer.keepFinal(key(), datagram)) {
                    keptFinal = null;
                    startTimer(SipTimer.J, Duration.ZERO); // the layer absorbs retransmissions from here
                } else {
                    startTimer(SipTimer.J, 0);
                }
            }
            case TERMINATED -> {
                lastResponse = null;
                keptFinal = null;
                layer.ended(this, endReason(cause));
            }
            default -> {
                // Trying and Proceeding run no timer.
            }
        }
    }

    @Override
    boolean keepsRequest(State s) {
        return s == State.TRYING || s == State.PROCEEDING;
    }

    @Override
    Set<SipTimer> timersOf(State s) {
        return s == State.COMPLETED ? COMPLETED_TIMERS : NO_TIMERS;
    }

    @Override
    Input timerInput(SipTimer timer) {
        if (timer != SipTimer.J) {
            throw new IllegalArgumentException("no timer " + timer + " on a non-INVITE server transaction");
        }
        return Input.TIMER_J;
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
    public boolean isInvite() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * RFC 3261 §17.2.1 INVITE server transaction, amended by RFC 6026 §7.1 (Accepted state, Timer L).
 *
 * <pre>
 *                     | INVITE received: TU told (no automatic 100 Trying; the TU sends it)
 *  INVITE: resend     V
 *  last 1xx    +-------------+  1xx from TU: send (self)
 *     +--------| Proceeding  |---------------------------------------+
 *     +-------&gt;|             |  transport error                      |
 *              +-------------+                                       |
 *   300-699 from TU: |     | 2xx from TU: send                       |
 *   send             |     +-----------------------+                 |
 *                    V                             V                 |
 *  INVITE, Timer G: +-------------+        +-------------+          |
 *  resend final     |  Completed  |        |  Accepted   |  INVITE: absorbed
 *     (self)        +-------------+        +-------------+  ACK: to TU
 *                     |        |             |    2xx from TU: send |
 *                 ACK |        | Timer H,    | Timer L,             |
 *                     V        | transport   | transport error      |
 *             +-------------+  | error       |                      |
 *             |  Confirmed  |  |             |                      |
 *             +-------------+  |             |                      |
 *      ACK, INVITE absorbed |  |             |                      |
 *   Timer I (T4; 0 reliable)|  |             |                      |
 *                           V  V             V                      V
 *             +-------------------------------------------------------+
 *             |                      Terminated                       |
 *             +-------------------------------------------------------+
 * </pre>
 *
 * Timer G runs only on unreliable transports. A transport error ends the transaction in
 * Proceeding, Completed and Accepted (§17.2.4); nothing is sent in Confirmed.
 *
 * <p>On UDP a transaction entering Confirmed hands its key to the layer, which absorbs the ACKs
 * and INVITEs until Timer I would have fired, and ends at once, as a settled one does in Accepted.
 *
 * <p>What each state keeps: Proceeding the INVITE and the last 1xx (resent on retransmitted
 * INVITEs); Completed only the final response (Timer G, retransmitted INVITEs); Accepted and
 * Confirmed nothing, since INVITEs and ACKs are absorbed or passed on, the TU's 2xx go out as
 * given, and ACKs match by key. The RFC 2543 fallback also compares the ACK's To tag with the one
 * of the response sent (§17.2.3), so for such keys that tag alone is kept until Terminated:
 * without it a retransmitted ACK in Confirmed would no longer be absorbed.
 */
final class InviteServerTransaction extends FsmTransaction<InviteServerTransaction.State, InviteServerTransaction.Input>
        implements ServerTransaction {

    enum State { PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    enum Input {
        INVITE_RETRANSMITTED, ACK, SEND_PROVISIONAL, SEND_2XX, SEND_FAILURE,
        TIMER_G, TIMER_H, TIMER_I, TIMER_L, TRANSPORT_ERROR, SETTLE
    }

    private static final TimerSlots SLOTS = TimerSlots.of(SipTimer.G, SipTimer.H, SipTimer.I, SipTimer.L);
    private static final Set<SipTimer> COMPLETED_TIMERS = EnumSet.of(SipTimer.G, SipTimer.H);
    private static final Set<SipTimer> CONFIRMED_TIMERS = EnumSet.of(SipTimer.I);
    private static final Set<SipTimer> ACCEPTED_TIMERS = EnumSet.of(SipTimer.L);
    private static final Set<SipTimer> NO_TIMERS = EnumSet.noneOf(SipTimer.class);

    /** The response resent on INVITE retransmissions and Timer G; null outside Proceeding and Completed. */
    private SIPResponse lastResponse;
    /** RFC 2543 keys only: the To tag of the last response sent, for ACK matching (§17.2.3). */
    private String responseToTag;
    private int retransmissions;
    /** The flow of the ACK being stepped; cleared once used. */
    private Flow ackFlow;

    InviteServerTransaction(LayerContext layer, SIPRequest invite, Flow flow, TransactionKey key) {
        super(layer, invite, flow, key, State.PROCEEDING, SLOTS);
    }

    /** The whole transition table; side-effect free. */
    static State next(State state, Input input) {
        return switch (state) {
            case PROCEEDING -> switch (input) {
                case SEND_2XX -> State.ACCEPTED;
                case SEND_FAILURE -> State.COMPLETED;
                case TRANSPORT_ERROR -> State.TERMINATED;
                default -> State.PROCEEDING;
            };
            case COMPLETED -> switch (input) {
                case ACK -> State.CONFIRMED;
                case TIMER_H, TRANSPORT_ERROR -> State.TERMINATED;
                default -> State.COMPLETED;
            };
            case CONFIRMED -> input == Input.TIMER_I ? State.TERMINATED : State.CONFIRMED;
            case ACCEPTED -> input == Input.TIMER_L || input == Input.TRANSPORT_ERROR ? State.TERMINATED : State.ACCEPTED;
            case TERMINATED -> State.TERMINATED;
        };
    }

    /** How a transaction that entered Terminated because of {@code cause} ended. */
    static EndReason endReason(Input cause) {
        return switch (cause) {
            case TIMER_H -> EndReason.TIMEOUT;
            case TRANSPORT_ERROR -> EndReason.TRANSPORT_ERROR;
            default -> EndReason.COMPLETED;
        };
    }

    /** A retransmission of the INVITE that created this transaction. */
    void receiveRetransmission(SIPRequest invite) {
        step(Input.INVITE_RETRANSMITTED, invite);
    }

    /** An ACK matched to this transaction (§17.2.3). */
    void receiveAck(SIPRequest ack, Flow flow) {
        ackFlow = flow;
        step(Input.ACK, ack);
    }

    @Override
    public void respond(SIPResponse response) {
        int code = response.getStatusCode();
        step(code < 200 ? Input.SEND_PROVISIONAL : code < 300 ? Input.SEND_2XX : Input.SEND_FAILURE, response);
    }

    @Override
    public boolean settle() {
        if (state != State.ACCEPTED) {
            return false;
        }
        step(Input.SETTLE, null);
        return isTerminated(); // false when the key could not be kept, or the input waits behind a step in progress
    }

    @Override
    public SIPResponse lastResponse() {
        return lastResponse;
    }

    /**
     * For the RFC 2543 ACK fallback (§17.2.3): the To tag of the last response sent, or null when
     * none was sent or the key has the magic cookie (then the ACK matches by branch alone).
     */
    String responseToTag() {
        return responseToTag;
    }

    @Override
    void act(State from, Input input, SIPMessage message) {
        switch (input) {
            case INVITE_RETRANSMITTED -> {
                if ((from == State.PROCEEDING || from == State.COMPLETED) && lastResponse != null) {
                    layer.send(lastResponse, flow(), this, true);
                } else {
                    ignored(from, input); // absorbed (RFC 6026 §7.1 in Accepted)
                }
            }
            case SEND_PROVISIONAL, SEND_FAILURE -> {
                if (from == State.PROCEEDING) {
                    lastResponse = (SIPResponse) message; // resent in Proceeding and Completed
                    send(lastResponse);
                } else {
                    ignored(from, input);
                }
            }
            case SEND_2XX -> {
                // RFC 6026 §7.1: in Accepted, 2xx retransmissions from the TU pass through.
                if (from == State.PROCEEDING || from == State.ACCEPTED) {
                    send((SIPResponse) message);
                } else {
                    ignored(from, input);
                }
            }
            case ACK -> {
                if (from == State.ACCEPTED) {
                    layer.user.onAckWithoutTransaction((SIPRequest) message, ackFlow); // RFC 6026 §7.1
                } else if (from == State.PROCEEDING) {
                    ignored(from, input);
                }
                // Completed -> Confirmed and Confirmed absorb the ACK (§17.2.1).
                ackFlow = null;
            }
            case TIMER_G -> {
                if (from == State.COMPLETED) {
                    retransmissions++;
                    layer.send(lastResponse, flow(), this, true);
                    startTimer(SipTimer.G, retransmissions);
                }
            }
            case SETTLE -> {
                // The TU sends no more 2xx through us: the layer absorbs retransmitted INVITEs by key
                // until Timer L, and the transaction ends now (Timer L = 0 for the object).
                if (from == State.ACCEPTED && layer.keepSettled(key())) {
                    startTimer(SipTimer.L, Duration.ZERO);
                } else {
                    ignored(from, input);
                }
            }
            default -> {
                // H, I, L and transport errors only change the state (see next()).
            }
        }
    }

    /** Sends a response from the TU; only Proceeding and Completed keep it (see act). */
    private void send(SIPResponse response) {
        if (TransactionKeys.isRfc2543(key())) {
            responseToTag = TransactionKeys.toTag(response);
        }
        layer.send(response, flow(), this, false);
        layer.responseSent(this, response);
    }

    @Override
    void enter(State to) {
        switch (to) {
            case COMPLETED -> {
                if (!reliable()) {
                    startTimer(SipTimer.G, 0);
                }
                startTimer(SipTimer.H, 0);
            }
            case CONFIRMED -> {
                lastResponse = null; // the ACK came: nothing is resent any more
                // On UDP the layer absorbs retransmitted ACKs and INVITEs by key from here, so the
                // object (and what the TU attached) ends now (Timer I = 0 for it). An RFC 2543 key
                // also needs the To tag compared (§17.2.3), which only the object can do.
                if (!reliable() && !TransactionKeys.isRfc2543(key()) && layer.keepConfirmed(key())) {
                    startTimer(SipTimer.I, Duration.ZERO);
                } else {
                    startTimer(SipTimer.I, 0);
                }
            }
            case ACCEPTED -> {
                lastResponse = null; // RFC 6026 §7.1: INVITEs absorbed, the TU's 2xx sent as given
                startTimer(SipTimer.L, 0);
            }
            case TERMINATED -> {
                lastResponse = null;
                responseToTag = null;
                layer.ended(this, endReason(cause));
            }
            default -> {
                // Proceeding runs no timer: the TU owns the pace (Timer C upstream of us).
            }
        }
    }

    @Override
    boolean keepsRequest(State s) {
        return s == State.PROCEEDING; // the TU may still read it; no later state uses it
    }

    @Override
    Set<SipTimer> timersOf(State s) {
        return switch (s) {
            case COMPLETED -> COMPLETED_TIMERS;
            case CONFIRMED -> CONFIRMED_TIMERS;
            case ACCEPTED -> ACCEPTED_TIMERS;
            case PROCEEDING, TERMINATED -> NO_TIMERS;
        };
    }

    @Override
    Input timerInput(SipTimer timer) {
        return switch (timer) {
            case G -> Input.TIMER_G;
            case H -> Input.TIMER_H;
            case I -> Input.TIMER_I;
            case L -> Input.TIMER_L;
            default -> throw new IllegalArgumentException("no timer " + timer + " on an INVITE server transaction");
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
    public boolean isInvite() {
        return true;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }
}

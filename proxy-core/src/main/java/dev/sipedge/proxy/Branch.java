package dev.sipedge.proxy;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * One forwarded copy of a request inside a {@link ResponseContext} (RFC 3261 §16.6). It is its
 * client transaction's listener, so that events reach the right branch even when the transport
 * fails while the transaction is still being created.
 */
final class Branch implements ClientTransaction.Listener {
    private final ResponseContext context;
    final int index;
    /** The request sent on this branch; null once released (the branch is done). */
    SIPRequest sent;
    final Flow flow;
    /** Stands for "a final response was handled" after {@link #release()} dropped the real one. */
    private static final SIPResponse DONE = new SIPResponse();

    ClientTransaction tx;
    /** The final response received, or synthesized on timeout / transport error. */
    SIPResponse finalResponse;
    /** CANCEL wanted but not yet allowed: no provisional response has arrived (§9.1). */
    boolean cancelWanted;
    boolean cancelSent;

    Branch(ResponseContext context, int index, SIPRequest sent, Flow flow) {
        this.context = context;
        this.index = index;
        this.sent = sent;
        this.flow = flow;
    }

    @Override
    public void onResponse(ClientTransaction transaction, SIPResponse response) {
        context.onResponse(this, transaction, response);
    }

    @Override
    public void onTimerC(ClientTransaction transaction) {
        context.onTimerC(this, transaction);
    }

    @Override
    public void onTerminated(ClientTransaction transaction, EndReason reason) {
        context.onTerminated(this, reason);
    }

    /** Drops the messages once the branch is done; {@link #done()} stays true. */
    void release() {
        sent = null;
        finalResponse = DONE;
    }

    boolean done() {
        return finalResponse != null;
    }
}

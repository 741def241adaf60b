package dev.sipedge.proxy;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.Flow;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/** One forwarded copy of a request inside a {@link ResponseContext} (RFC 3261 §16.6). */
final class Branch {
    final int index;
    final SIPRequest sent;
    final Flow flow;
    ClientTransaction tx;
    /** The final response received, or synthesized on timeout / transport error. */
    SIPResponse finalResponse;
    /** CANCEL wanted but not yet allowed: no provisional response has arrived (§9.1). */
    boolean cancelWanted;
    boolean cancelSent;

    Branch(int index, SIPRequest sent, Flow flow) {
        this.index = index;
        this.sent = sent;
        this.flow = flow;
    }

    boolean done() {
        return finalResponse != null;
    }
}

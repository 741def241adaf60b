package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import gov.nist.javax.sip.message.SIPMessage;

/**
 * Receives what the transports decode, on the executor that owns the call (the
 * {@link CallOwners} the transport was opened with); must not block.
 */
public interface InboundHandler {

    /**
     * A parsed message, on the executor of owner {@code owner}. For requests, {@code received}
     * and {@code rport} were already added to the top Via (RFC 3261 §18.2.1, RFC 3581 §4).
     * {@code flow.remote()} is the packet's source and, for TCP, the key of the connection it
     * arrived on.
     */
    void onMessage(SIPMessage message, Flow flow, int owner);

    /**
     * A message that failed to parse or frame. {@code partial} is what could be parsed (may be null;
     * received/rport are added to it when it is a request with a Via). The transport already counted
     * it in {@code sipedge_parse_errors_total}. The proxy answers 400 when {@code partial} is a
     * request it can address, otherwise drops it. {@code reason} is short and names the bad header
     * or the framing problem.
     */
    void onMalformed(SIPMessage partial, Flow flow, String reason);
}

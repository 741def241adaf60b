package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import gov.nist.javax.sip.message.SIPMessage;
import io.netty.util.concurrent.EventExecutor;

/**
 * Receives what the transports decode. Both methods are called on a Netty I/O thread and must not
 * block; hand the message to its shard (STYLE.md §2.3).
 */
public interface InboundHandler {

    /**
     * A parsed message. For requests, {@code received} and {@code rport} were already added to the
     * top Via (RFC 3261 §18.2.1, RFC 3581 §4). {@code flow.remote()} is the packet's source and, for
     * TCP, the key of the connection it arrived on.
     */
    void onMessage(SIPMessage message, Flow flow);

    /**
     * A message that failed to parse or frame. {@code partial} is what could be parsed (may be null;
     * received/rport are added to it when it is a request with a Via). The transport already counted
     * it in {@code sipedge_parse_errors_total}. The proxy answers 400 when {@code partial} is a
     * request it can address, otherwise drops it. {@code reason} is short and names the bad header
     * or the framing problem.
     */
    void onMalformed(SIPMessage partial, Flow flow, String reason);

    /**
     * Where a datagram with this Call-ID (read from the raw bytes, never null here) is to be
     * parsed and delivered: the executor that owns the call. Null (the default) means the receiving I/O
     * thread. Parsing there spreads the parse work by call instead of by socket.
     */
    default EventExecutor ownerOf(String callId) {
        return null;
    }
}

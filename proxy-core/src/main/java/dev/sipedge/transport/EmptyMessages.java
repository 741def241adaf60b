package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * New, empty JAIN-SIP messages for the paths that make one per message (the parser, a forwarded
 * branch's copy). A new message builds and attaches a Content-Length of 0 whose constructor
 * interns the header name: a VM string-table lookup per message, 1.3 % of the event loop's
 * samples in a warm profile. A clone of an empty message that is never changed is the same new
 * message without it ({@code PlainStartLineTest} holds them equal, field by field).
 *
 * <p>One thing the clones share, as every JAIN-SIP clone shares it with its original: the list
 * {@code SIPMessage.addUnparsed} appends to, which the encoder writes out. Only JAIN-SIP's own
 * stack and its string-built messages append there; nothing in sipedge calls it, and a message
 * from here must never be given to anything that does.
 */
public final class EmptyMessages {
    private static final SIPRequest REQUEST = new SIPRequest();
    private static final SIPResponse RESPONSE = new SIPResponse();

    private EmptyMessages() {
    }

    public static SIPRequest request() {
        return (SIPRequest) REQUEST.clone();
    }

    public static SIPResponse response() {
        return (SIPResponse) RESPONSE.clone();
    }
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes the ACK an INVITE client transaction sends for a non-2xx final response (RFC 3261
 * §17.1.1.3). The ACK for a 2xx is the TU's business and not built here.
 *
 * <p>Written as text from the INVITE's and the response's header objects, not built as a message:
 * the ACK is only ever sent, and a message built of cloned headers (each put into its header
 * table) and then encoded cost about 6 % of an event loop's samples under a failed-call load,
 * against a small part of that for writing the same lines.
 */
final class AckBuilder {
    private static final int DEFAULT_MAX_FORWARDS = 70;

    private AckBuilder() {
    }

    /**
     * §17.1.1.3: Request-URI, Call-ID, From and CSeq number of the INVITE, CSeq method ACK, To of
     * the response (with its tag), a single Via equal to the INVITE's top Via, and the INVITE's
     * Route headers. The lines are in the order a message built of them encodes in, Content-Length
     * last; the text is UTF-8, as the transport encodes messages.
     */
    static byte[] forNon2xx(SIPRequest invite, SIPResponse response) {
        StringBuilder text = new StringBuilder(384);
        text.append("ACK ");
        invite.getRequestLine().getUri().encode(text);
        text.append(" SIP/2.0\r\n");
        invite.getTopmostVia().encode(text);
        line(text, invite.getCallId());
        line(text, invite.getFrom());
        line(text, response.getTo());
        RouteList routes = invite.getRouteHeaders();
        if (routes != null && !routes.isEmpty()) {
            routes.encode(text);
        }
        MaxForwards maxForwards = (MaxForwards) invite.getMaxForwards();
        text.append("CSeq: ").append(invite.getCSeq().getSeqNumber()).append(" ACK\r\n")
                .append("Max-Forwards: ")
                .append(maxForwards != null ? maxForwards.getMaxForwards() : DEFAULT_MAX_FORWARDS).append("\r\n")
                .append("Content-Length: 0\r\n\r\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder text, Object header) {
        ((SIPHeader) header).encode(text);
    }
}

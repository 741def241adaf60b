package dev.sipedge.transaction;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import javax.sip.InvalidArgumentException;
import javax.sip.header.Header;
import javax.sip.message.Request;

/**
 * Builds the ACK an INVITE client transaction sends for a non-2xx final response
 * (RFC 3261 §17.1.1.3). The ACK for a 2xx is the TU's business and not built here.
 */
final class AckBuilder {
    private static final int DEFAULT_MAX_FORWARDS = 70;

    private AckBuilder() {
    }

    /**
     * §17.1.1.3: Request-URI, Call-ID, From and CSeq number of the INVITE, CSeq method ACK, To of
     * the response (with its tag), a single Via equal to the INVITE's top Via, and the INVITE's
     * Route headers.
     */
    static SIPRequest forNon2xx(SIPRequest invite, SIPResponse response) {
        SIPRequest ack = new SIPRequest();
        ack.setRequestLine((RequestLine) invite.getRequestLine().clone());
        ack.setMethod(Request.ACK);
        ack.setHeader((Via) invite.getTopmostVia().clone());
        ack.setHeader((Header) invite.getCallId().clone());
        ack.setHeader((Header) invite.getFrom().clone());
        ack.setHeader((Header) response.getTo().clone());
        RouteList routes = invite.getRouteHeaders();
        if (routes != null) {
            ack.setHeader((RouteList) routes.clone());
        }
        try {
            ack.setHeader(new CSeq(invite.getCSeq().getSeqNumber(), Request.ACK));
            MaxForwards mf = new MaxForwards();
            mf.setMaxForwards(invite.getMaxForwards() != null
                    ? invite.getMaxForwards().getMaxForwards() : DEFAULT_MAX_FORWARDS);
            ack.setHeader(mf);
            ack.setHeader(new ContentLength(0));
        } catch (InvalidArgumentException e) {
            // Values copied from a request that parsed are in range; this cannot happen.
            throw new IllegalStateException("cannot build ACK from " + invite.getFirstLine(), e);
        }
        assert ack.getViaHeaders() instanceof ViaList && ack.getViaHeaders().size() == 1;
        return ack;
    }
}

package dev.sipedge.transaction;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import javax.sip.InvalidArgumentException;
import javax.sip.header.Header;
import javax.sip.message.Request;

/**
 * The ACK of a failure built as a JAIN-SIP message of cloned headers, as the INVITE client
 * transaction built it before {@link AckBuilder} wrote it as text: the reference the text is
 * compared with (AckBuilderTest) and measured against (the benchmarks' AckBenchmark). Shipped in
 * the test-jar.
 */
public final class BuiltAck {
    private BuiltAck() {
    }

    public static SIPRequest of(SIPRequest invite, SIPResponse response) {
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
            mf.setMaxForwards(invite.getMaxForwards() != null ? invite.getMaxForwards().getMaxForwards() : 70);
            ack.setHeader(mf);
            ack.setHeader(new ContentLength(0));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
        return ack;
    }
}

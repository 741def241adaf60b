package dev.sipedge.transport;

import gov.nist.core.NameValueList;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.ParametersHeader;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.Subject;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;

/**
 * New, empty JAIN-SIP headers for the paths that build some for every message (the plain parser,
 * our Via on every forwarded request). JAIN-SIP's header constructors intern the header name: a
 * VM string-table lookup for every header built (3.5 % of the event loops' samples under load
 * when the parser still used them). A clone of one never-changed instance is the same header
 * without it.
 */
public final class FreshHeaders {
    private static final CallID CALL_ID = new ParsedCallId();
    private static final Subject SUBJECT = new Subject();
    private static final CSeq CSEQ = new CSeq();
    private static final MaxForwards MAX_FORWARDS = new MaxForwards();
    private static final ContentLength CONTENT_LENGTH = new ContentLength();
    private static final Via VIA = new Via();
    private static final From FROM = new From();
    private static final To TO = new To();
    private static final Contact CONTACT = new Contact();
    private static final RecordRoute RECORD_ROUTE = new RecordRoute();
    private static final Route ROUTE = new Route();
    private static final ContentType CONTENT_TYPE = new ContentType();

    private FreshHeaders() {
    }

    /** A new Via, as {@code new Via()} makes it. */
    public static Via via() {
        return fresh(VIA);
    }

    static From from() {
        return fresh(FROM);
    }

    /**
     * A To with the concurrent parameter map To's constructor gives it (a clone's is an ordered
     * one): the parameters then encode in JAIN-SIP's order, as the differential and fuzz tests
     * hold the plain path to.
     */
    static To to() {
        To to = fresh(TO);
        to.setParameters(new NameValueList(true));
        return to;
    }

    static Contact contact() {
        return fresh(CONTACT);
    }

    static RecordRoute recordRoute() {
        return fresh(RECORD_ROUTE);
    }

    static Route route() {
        return fresh(ROUTE);
    }

    static ContentType contentType() {
        return fresh(CONTENT_TYPE);
    }

    /** A Call-ID that keeps the text it was parsed from ({@link ParsedCallId}). */
    static CallID callId() {
        return (CallID) CALL_ID.clone();
    }

    static Subject subject() {
        return (Subject) SUBJECT.clone();
    }

    static CSeq cseq() {
        return (CSeq) CSEQ.clone();
    }

    static MaxForwards maxForwards() {
        return (MaxForwards) MAX_FORWARDS.clone();
    }

    static ContentLength contentLength() {
        return (ContentLength) CONTENT_LENGTH.clone();
    }

    /**
     * A copy of a never-changed prototype: its parameter list is a new one by the clone; its list of
     * duplicate parameters, shared by the clone, is replaced.
     */
    @SuppressWarnings("unchecked")
    private static <H extends ParametersHeader> H fresh(H prototype) {
        H copy = (H) prototype.clone();
        copy.removeMultiParameters();
        return copy;
    }
}

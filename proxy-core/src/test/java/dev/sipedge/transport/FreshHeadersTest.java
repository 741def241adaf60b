package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.ParametersHeader;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.Subject;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Each fresh header is what its constructor makes, field by field, and shares nothing with the next. */
class FreshHeadersTest {

    private record Pair(Supplier<SIPHeader> fresh, Supplier<SIPHeader> constructed) {
    }

    private static final List<Pair> PAIRS = List.of(
            new Pair(FreshHeaders::via, Via::new),
            new Pair(FreshHeaders::from, From::new),
            new Pair(FreshHeaders::to, To::new),
            new Pair(FreshHeaders::contact, Contact::new),
            new Pair(FreshHeaders::recordRoute, RecordRoute::new),
            new Pair(FreshHeaders::route, Route::new),
            new Pair(FreshHeaders::contentType, ContentType::new),
            new Pair(FreshHeaders::callId, ParsedCallId::new),
            new Pair(FreshHeaders::subject, Subject::new),
            new Pair(FreshHeaders::cseq, CSeq::new),
            new Pair(FreshHeaders::maxForwards, MaxForwards::new),
            new Pair(FreshHeaders::contentLength, ContentLength::new));

    @Test
    void aFreshHeaderIsAConstructedOne() {
        for (Pair pair : PAIRS) {
            SIPHeader constructed = pair.constructed().get();
            assertEquals(FieldDump.of(constructed), FieldDump.of(pair.fresh().get()), constructed.getName());
        }
    }

    @Test
    void parametersSetOnOneAreNotOnTheNext() throws Exception {
        for (Pair pair : PAIRS) {
            if (pair.fresh().get() instanceof ParametersHeader first) {
                first.setParameter("x", "1");
                first.setMultiParameter("y", "2");
                ParametersHeader next = (ParametersHeader) pair.fresh().get();
                assertNull(next.getParameter("x"), first.getName());
                assertEquals(FieldDump.of(pair.constructed().get()), FieldDump.of(next), first.getName());
            }
        }
        Via via = FreshHeaders.via();
        via.setHost("10.0.0.1");
        via.setTransport("TCP");
        assertEquals(FieldDump.of(new Via()), FieldDump.of(FreshHeaders.via()));
    }
}

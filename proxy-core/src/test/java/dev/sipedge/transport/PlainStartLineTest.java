package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.RequestLineParser;
import gov.nist.javax.sip.parser.StatusLineParser;
import java.text.ParseException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain start line against JAIN-SIP's request-line and status-line parsers, field by field. */
class PlainStartLineTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "INVITE sip:bob@127.0.0.1:5070 SIP/2.0",
            "ACK sip:127.0.0.1:5070;transport=UDP SIP/2.0",
            "BYE sips:bob@biloxi.example.com;lr SIP/2.0",
            "OPTIONS sip:127.0.0.1 SIP/2.0",
            "REGISTER  sip:registrar.example.com\tSIP/2.0",
            "SIP/2.0 200 OK",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 487 Request Terminated",
            "SIP/2.0 100  Trying ",
            "SIP/2.0 404 Not Found: nobody, here",
    })
    void aPlainStartLineIsTakenAndEqualsJainSips(String line) throws ParseException {
        assertSameAsJainSip(line, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "invite sip:bob@127.0.0.1 SIP/2.0",
            "FOO sip:bob@127.0.0.1 SIP/2.0",
            "INVITE tel:+15551234567 SIP/2.0",
            "INVITE sip:bob@[2001:db8::1] SIP/2.0",
            "INVITE sip:bob@h.example.com?Subject=x SIP/2.0",
            "INVITE sip:bob@h.example.com SIP/3.0",
            "INVITE sip:bob@h.example.com SIP/2.0 x",
            "INVITE sip:bob@h.example.com",
            "SIP/2.0 20 OK",
            "SIP/2.0 2000 OK",
            "SIP/2.0 099 Low",
            "SIP/2.0 200",
            "SIP/2.00 200 OK",
    })
    void anUnusualStartLineIsLeftToJainSip(String line) throws ParseException {
        assertSameAsJainSip(line, false);
    }

    /** Taken: JAIN-SIP parses the same line to equal fields. Declined: nothing is made. */
    static void assertSameAsJainSip(String line, boolean expectTaken) throws ParseException {
        Optional<SIPMessage> plain = PlainStartLine.parse(line);
        assertEquals(expectTaken, plain.isPresent(), line);
        if (plain.isPresent()) {
            assertEquals(FieldDump.of(jainSip(line)), FieldDump.of(startLineOf(plain.get())), line);
        }
    }

    static Object jainSip(String line) throws ParseException {
        return line.startsWith("SIP/2.0") ? new StatusLineParser(line + "\n").parse()
                : new RequestLineParser(line + "\n").parse();
    }

    static Object startLineOf(SIPMessage message) {
        return message instanceof SIPRequest request ? request.getRequestLine()
                : ((SIPResponse) message).getStatusLine();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIP/2.0 200 OK", "INVITE sip:a@b SIP/2.0"})
    void theMessageIsTheRightKind(String line) {
        SIPMessage message = PlainStartLine.parse(line).orElseThrow();
        assertEquals(line.startsWith("SIP"), message instanceof SIPResponse);
        assertEquals(line, message.getFirstLine().trim());
    }

    /**
     * The message is made by cloning an empty one: it must be a new message in every field, and
     * share nothing a later header changes with the next one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"SIP/2.0 200 OK", "INVITE sip:a@b SIP/2.0"})
    void eachMessageIsANewOneOfItsOwn(String line) throws Exception {
        SIPMessage first = PlainStartLine.parse(line).orElseThrow();
        SIPMessage made = first instanceof SIPRequest ? new SIPRequest() : new SIPResponse();
        if (made instanceof SIPRequest request) {
            request.setRequestLine(((SIPRequest) first).getRequestLine());
        } else {
            ((SIPResponse) made).setStatusLine(((SIPResponse) first).getStatusLine());
        }
        assertEquals(FieldDump.of(made), FieldDump.of(first));

        first.setHeader(new CallID("c1"));
        first.setContentLength(new ContentLength(7));
        SIPMessage second = PlainStartLine.parse(line).orElseThrow();
        assertNull(second.getCallId());
        assertEquals(0, second.getContentLength().getContentLength());
        assertEquals(FieldDump.of(PlainStartLine.parse(line).orElseThrow()), FieldDump.of(second));
    }
}

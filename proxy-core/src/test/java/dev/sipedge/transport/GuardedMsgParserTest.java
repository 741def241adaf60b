package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A header line ending in a backslash is a defect and never reaches JAIN-SIP's header parsers,
 * whose comment loop reads past the line end after it and appends until the heap is gone: without
 * the guard, the first test does not end.
 */
class GuardedMsgParserTest {
    private static final String REST = "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
            + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    @Test
    void aViaCommentEndingInABackslashIsABadViaNotAnEndlessLoop() {
        byte[] m = ("INVITE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1 (a comment\\\r\n" + REST)
                .getBytes(StandardCharsets.ISO_8859_1);
        DecodeFailure failure = assertInstanceOf(DecodeFailure.class, new SipMessageParser().parse(m));
        assertEquals("bad header Via", failure.reason());
    }

    @Test
    void anotherHeaderEndingInABackslashIsADefectTheMessageCarries() {
        byte[] m = ("INVITE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nUser-Agent: x (y\\\r\n" + REST)
                .getBytes(StandardCharsets.ISO_8859_1);
        SIPRequest request = assertInstanceOf(SIPRequest.class, message(new SipMessageParser().parse(m)));
        assertNotNull(ParseDefects.of(request), "the defect rides on the message for the validator");
    }

    @Test
    void theTooLargeAnswerIsGuardedToo() {
        byte[] headers = ("INVITE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1 (c\\\r\n" + REST)
                .getBytes(StandardCharsets.ISO_8859_1);
        assertNull(TooLargeResponse.from(headers), "no Via to answer to: the bad one is dropped, not looped on");
        assertNotNull(TooLargeResponse.from(new String(headers, StandardCharsets.ISO_8859_1)
                .replace(" (c\\", "").getBytes(StandardCharsets.ISO_8859_1)), "the same headers with a sound Via get a 513");
    }

    @Test
    void aLineWithoutAColonIsADefectTheMessageCarriesWithOrWithoutABackslash() {
        for (String line : new String[] {"NoColonHere", "NoColonHere\\"}) {
            byte[] m = ("INVITE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n" + line + "\r\n" + REST)
                    .getBytes(StandardCharsets.ISO_8859_1);
            SIPRequest request = assertInstanceOf(SIPRequest.class, message(new SipMessageParser().parse(m)), line);
            assertNotNull(ParseDefects.of(request), "the validator answers it: " + line);
        }
    }
}

package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The three things framed bytes can come to, each its own value. */
class SipMessageParserTest {
    private static final String HEADERS = "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
            + "To: <sip:b@y>\r\nCall-ID: c1\r\nMax-Forwards: 70\r\n";

    @Test
    void aCleanRequestIsParsedWithItsReceivedBytes() {
        byte[] m = bytes("OPTIONS sip:b@y SIP/2.0\r\n" + HEADERS + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        ParseOutcome outcome = new SipMessageParser().parse(m);
        SIPRequest request = assertInstanceOf(SIPRequest.class,
                assertInstanceOf(ParseOutcome.Parsed.class, outcome).message());
        assertEquals("c1", request.getCallId().getCallId());
        assertNotNull(ReceivedRequestBytes.of(request), "relayed as its received bytes");
    }

    @Test
    void aRequestWithABadCseqIsAFailureThatKeepsWhatParsed() {
        byte[] m = bytes("OPTIONS sip:b@y SIP/2.0\r\n" + HEADERS + "CSeq: one OPTIONS\r\nContent-Length: 0\r\n\r\n");
        DecodeFailure failure = assertInstanceOf(DecodeFailure.class, new SipMessageParser().parse(m));
        assertEquals("bad header CSeq", failure.reason());
        assertInstanceOf(SIPRequest.class, failure.partial(), "enough left to answer 400");
    }

    @Test
    void lineEndsAloneAreBlankNeitherMessageNorFailure() {
        assertSame(ParseOutcome.Blank.INSTANCE, new SipMessageParser().parse(bytes("\r\n\r\n")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second line of a list header keeps every header before it in the message, whichever parser
 * reads the lines (ours first, or JAIN-SIP's alone): JAIN-SIP's attach dropped from the message's
 * encoding any address header equal, by URI and parameters, to the list's first value.
 */
class HeaderAttachTest {
    private static final String REQUEST = "ACK sip:bob@10.0.0.2:5070 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-1\r\n"
            + "From: <sip:10.0.0.9;lr>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b1\r\nCall-ID: c1\r\n"
            + "R: relay <sip:10.0.0.9;lr>\r\n"
            + "Route: <sip:10.0.0.9;lr>\r\nRoute: <sip:10.0.0.8;lr>\r\n"
            + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSecondRouteLineKeepsTheHeadersNamingTheFirstRoutesUri(boolean plainHeaders) {
        byte[] m = REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        SIPRequest request = assertInstanceOf(SIPRequest.class, message(new SipMessageParser(plainHeaders).parse(m)));
        String encoded = request.encode();
        assertTrue(encoded.contains("\r\nFrom: <sip:10.0.0.9;lr>;tag=a1\r\n"), encoded);
        assertTrue(encoded.contains("\r\nRefer-To: \"relay\" <sip:10.0.0.9;lr>\r\n"), encoded);
        assertEquals(2, request.getRouteHeaders().size(), encoded);
        assertTrue(encoded.contains("\r\nRoute: <sip:10.0.0.9;lr>,<sip:10.0.0.8;lr>\r\n"), encoded);
    }
}

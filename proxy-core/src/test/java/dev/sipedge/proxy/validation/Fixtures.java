package dev.sipedge.proxy.validation;

import dev.sipedge.transport.ParseDefects;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Raw SIP text (written with '\n', sent with CRLF) parsed the way the proxy parses. */
final class Fixtures {

    private Fixtures() {
    }

    static byte[] wire(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static SIPRequest request(String text) {
        return request(text, new ParseDefects());
    }

    static SIPRequest request(String text, ParseDefects defects) {
        try {
            return (SIPRequest) ParseDefects.parse(wire(text), defects);
        } catch (ParseException e) {
            throw new AssertionError("fixture does not parse: " + e.getMessage(), e);
        }
    }

    static final String INVITE = """
            INVITE sip:bob@example.org SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKuac1
            Max-Forwards: 70
            From: <sip:alice@example.com>;tag=a1
            To: <sip:bob@example.org>
            Call-ID: val-1@192.0.2.10
            CSeq: 1 INVITE
            Contact: <sip:alice@192.0.2.10:5060>
            Content-Length: 0

            """;
}

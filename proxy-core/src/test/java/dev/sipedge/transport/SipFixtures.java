package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import gov.nist.javax.sip.message.SIPMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Raw SIP text for the transport tests. */
final class SipFixtures {

    private SipFixtures() {
    }

    /** A request whose Content-Length matches {@code body}. */
    static String request(String method, String callId, String body) {
        return request(method, callId, body, Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
    }

    /** A request with the given Content-Length header value (null: no header). */
    static String request(String method, String callId, String body, String contentLength) {
        return method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + (contentLength == null ? "" : "Content-Length: " + contentLength + "\r\n")
                + (body.isEmpty() ? "" : "Content-Type: text/plain\r\n")
                + "\r\n"
                + body;
    }

    /** A body with CRLFs and an empty line inside, which must not end the message. */
    static final String TRICKY_BODY = "line one\r\n\r\nline three after a blank line\r\nINVITE sip:x SIP/2.0\r\n\r\n";

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The message {@code outcome} holds; fails the test when the bytes did not parse to one. */
    static SIPMessage message(ParseOutcome outcome) {
        return assertInstanceOf(ParseOutcome.Parsed.class, outcome, () -> "parsed: " + outcome).message();
    }

    /** The message {@code outcome} holds, if any: for tests that go over a corpus and skip the rest. */
    static Optional<SIPMessage> parsed(ParseOutcome outcome) {
        return outcome instanceof ParseOutcome.Parsed parsed ? Optional.of(parsed.message()) : Optional.empty();
    }
}

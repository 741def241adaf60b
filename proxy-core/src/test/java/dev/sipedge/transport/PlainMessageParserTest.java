package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The proxy's line loop against JAIN-SIP's, rule by rule: each case asserts what the loop does
 * and that JAIN-SIP's loop, given the same bytes, ends with the same outcome.
 */
class PlainMessageParserTest {

    private static final String HEAD = "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1\r\n"
            + "From: <sip:a@127.0.0.1>;tag=1\r\n"
            + "To: <sip:bob@127.0.0.1>\r\n"
            + "Call-ID: c1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\n";

    private final SipMessageParser parser = new SipMessageParser(new PlainMessageParser());
    private final SipMessageParser reference = new SipMessageParser(new PlainLineParser());

    @Test
    void controlAndHighBytesBeforeTheStartLineAreSkipped() {
        SIPMessage message = parsed(bytes("\r\n\u0000\t", new byte[] {(byte) 0xc3, (byte) 0x80}, HEAD + "l: 0\r\n\r\n"));
        assertEquals("c1", message.getCallId().getCallId());
    }

    @Test
    void nothingButControlsIsNoMessage() {
        assertInstanceOf(ParseOutcome.Blank.class, outcome(bytes("\r\n\r\n\u0001")));
    }

    @Test
    void linesEndAtCrAtLfOrAtCrlf() {
        String mixed = HEAD.replace("Call-ID: c1\r\n", "Call-ID: c1\r").replace("CSeq: 1 OPTIONS\r\n", "CSeq: 1 OPTIONS\n");
        SIPMessage message = parsed(bytes(mixed + "l: 0\r\n\r\n"));
        assertEquals("c1", message.getCallId().getCallId());
        assertEquals(1L, message.getCSeq().getSeqNumber());
    }

    @Test
    void trailingBlanksAndControlsAreTrimmed() {
        SIPMessage message = parsed(bytes(HEAD + "Subject: hello \t\u0001\r\nl: 0\r\n\r\n"));
        assertEquals("Subject: hello", message.getHeader("Subject").toString().trim());
    }

    @Test
    void aLineOfBlanksEndsTheHeaderBlock() {
        SIPMessage message = parsed(bytes(HEAD + " \t \r\nSubject: after\r\nl: 0\r\n\r\n"));
        assertNull(message.getHeader("Subject"), "a header after the line of blanks");
    }

    @Test
    void aFoldJoinsThePreviousHeaderWithoutItsFirstBlank() {
        SIPMessage message = parsed(bytes(HEAD + "Subject: one\r\n\t two\r\nl: 0\r\n\r\n"));
        assertEquals("Subject: one two", message.getHeader("Subject").toString().trim());
    }

    @Test
    void aFoldRightAfterTheStartLineIsRefused() {
        DecodeFailure failure = assertInstanceOf(DecodeFailure.class,
                outcome(bytes("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n fold\r\n\r\n")));
        assertEquals("Bad header continuation.", failure.reason());
    }

    @Test
    void withoutALineEndTheLastHeaderIsUnread() {
        SIPMessage message = parsed(bytes(HEAD + "Subject: unread\r\nl: 0"));
        assertNull(message.getHeader("Subject"), "the header before the line with no end");
    }

    @Test
    void aFirstLineOfBlanksIsNoMessage() {
        DecodeFailure failure = assertInstanceOf(DecodeFailure.class, outcome(bytes("   \r\n\r\n")));
        assertEquals("Bad message", failure.reason());
    }

    @Test
    void utf8TextIsDecodedAndBadBytesReplaced() {
        SIPMessage good = parsed(bytes(HEAD + "Subject: Jos\u00e9\r\nl: 0\r\n\r\n"));
        assertEquals("Subject: Jos\u00e9", good.getHeader("Subject").toString().trim());
        SIPMessage bad = parsed(bytes(HEAD + "Subject: x", new byte[] {(byte) 0xc3}, " \r\nl: 0\r\n\r\n"));
        assertEquals("Subject: x\ufffd", bad.getHeader("Subject").toString().trim());
    }

    @Test
    void theBodyIsReadAfterTheBlankLine() {
        SIPMessage message = parsed(bytes(HEAD + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"));
        assertEquals("hello", new String(message.getRawContent(), StandardCharsets.UTF_8));
    }

    @Test
    void everyCorpusMessageEndsAsJainSipsLoopEndsIt() throws Exception {
        int compared = 0;
        for (Path file : MessageIndexDifferentialTest.corpus()) {
            byte[] m = Files.readAllBytes(file);
            int headerLength = MessageIndexDifferentialTest.headerLength(m);
            assertEquals(PlainParseDifferentialTest.describe(reference.parse(m, headerLength)),
                    PlainParseDifferentialTest.describe(parser.parse(m, headerLength)), file.toString());
            compared++;
        }
        assertTrue(compared > 40, "messages compared: " + compared);
    }

    private ParseOutcome outcome(byte[] m) {
        int headerLength = MessageIndexDifferentialTest.headerLength(m);
        ParseOutcome expected = reference.parse(m, headerLength);
        ParseOutcome actual = parser.parse(m, headerLength);
        assertEquals(PlainParseDifferentialTest.describe(expected), PlainParseDifferentialTest.describe(actual));
        return actual;
    }

    private SIPMessage parsed(byte[] m) {
        return assertInstanceOf(ParseOutcome.Parsed.class, outcome(m)).message();
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}

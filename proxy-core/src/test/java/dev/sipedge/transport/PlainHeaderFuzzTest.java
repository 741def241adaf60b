package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;

/**
 * The plain header path is our own parser of untrusted text in front of JAIN-SIP's, so it is
 * fuzzed against it: whatever line it takes, JAIN-SIP must take too, with equal objects; whatever
 * it declines leaves the message as it was; nothing throws. Its line loop is fuzzed against
 * JAIN-SIP's the same way. The seeds in
 * {@code PlainHeaderFuzzTestInputs/} run in every build; {@code scripts/fuzz} fuzzes for real.
 */
class PlainHeaderFuzzTest {

    /** The names the first input byte picks from: every header the plain path parses, long and compact. */
    private static final String[] NAMES = {
        "Via", "v", "From", "f", "To", "t", "Call-ID", "i", "CSeq", "Contact", "m", "Max-Forwards",
        "Content-Length", "l", "Record-Route", "Route", "Subject", "Content-Type", "c",
    };

    @FuzzTest(maxDuration = "60s")
    void aLineIsTakenOnlyAsJainSipTakesIt(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        String value = new String(data, 1, data.length - 1, StandardCharsets.ISO_8859_1);
        // a header line as the message parser hands it on: unfolded, no line break, and no
        // character up to the space at its end
        String line = NAMES[(data[0] & 0xff) % NAMES.length] + ": " + value.replace('\r', ' ').replace('\n', ' ');
        int end = line.length();
        while (line.charAt(end - 1) <= ' ') {
            end--;
        }
        line = line.substring(0, end);
        SIPRequest plain = new SIPRequest();
        if (PlainHeaderParser.attach(plain, line)) {
            assertEquals(PlainHeaderParserTest.headersOf(PlainHeaderParserTest.jainSip(line)),
                    PlainHeaderParserTest.headersOf(plain), line);
        } else {
            assertEquals(PlainHeaderParserTest.headersOf(new SIPRequest()), PlainHeaderParserTest.headersOf(plain), line);
        }
    }

    /** The same for a start line: taken only where JAIN-SIP's first-line parsers give equal fields. */
    @FuzzTest(maxDuration = "60s")
    void aStartLineIsTakenOnlyAsJainSipTakesIt(byte[] data) {
        String line = new String(data, StandardCharsets.ISO_8859_1).replace('\r', ' ').replace('\n', ' ');
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) <= ' ') {
            end--;
        }
        line = line.substring(0, end);
        Optional<SIPMessage> plain = PlainStartLine.parse(line);
        if (plain.isPresent()) {
            Object reference;
            try {
                reference = PlainStartLineTest.jainSip(line);
            } catch (ParseException e) {
                throw new AssertionError("taken, but JAIN-SIP refuses: " + line, e);
            }
            assertEquals(FieldDump.of(reference), FieldDump.of(PlainStartLineTest.startLineOf(plain.get())), line);
        }
    }

    /**
     * A whole message through the proxy's line loop and through JAIN-SIP's, each with the same
     * plain header path: the same outcome, down to each header's fields, its defects and body.
     */
    @FuzzTest(maxDuration = "60s")
    void aMessageSplitsIntoLinesAsJainSipSplitsIt(byte[] data) {
        ParseOutcome expected = new SipMessageParser(new PlainLineParser()).parse(data, MessageIndexDifferentialTest.headerLength(data));
        ParseOutcome actual = new SipMessageParser(new PlainMessageParser()).parse(data, MessageIndexDifferentialTest.headerLength(data));
        assertEquals(PlainParseDifferentialTest.describe(expected), PlainParseDifferentialTest.describe(actual),
                new String(data, StandardCharsets.ISO_8859_1));
    }
}

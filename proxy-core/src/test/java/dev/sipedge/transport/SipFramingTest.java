package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Framing a message's bytes: where the empty line is and what Content-Length says, and the
 * stream's buffer search agreeing with it on every message of the torture and malformed corpora.
 */
class SipFramingTest {
    private static final String START = "OPTIONS sip:a@example.com SIP/2.0\r\nCall-ID: x\r\n";

    private static SipFraming.Frame frame(String text) {
        return SipFraming.frame(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static SipFraming.Framed framed(String text) {
        return assertInstanceOf(SipFraming.Framed.class, frame(text), text);
    }

    @Test
    void theEmptyLineEndsTheHeaderBlockAndContentLengthIsRead() {
        String headers = START + "Content-Length: 4\r\n\r\n";
        SipFraming.Framed framed = framed(headers + "body");
        assertEquals(headers.length(), framed.headerEnd());
        assertEquals(OptionalInt.of(4), framed.contentLength());
    }

    @Test
    void bareLineFeedsEndItToo() {
        assertEquals(START.length() + 1, framed(START + "\n").headerEnd());
        assertEquals("A: b\n\n".length(), framed("A: b\n\nbody").headerEnd());
        assertEquals("A: b\n\r\n".length(), framed("A: b\n\r\nbody").headerEnd());
    }

    @Test
    void headerLinesCountEachHeaderOnceHoweverFolded() {
        assertEquals(3, framed(START + "Via: SIP/2.0/UDP a,\r\n\tSIP/2.0/UDP b\r\nX: 1\r\n\r\n").headerLines());
        assertEquals(0, framed("SIP/2.0 200 OK\r\n\r\n").headerLines());
    }

    @Test
    void noContentLengthIsEmptyNotZero() {
        assertEquals(OptionalInt.empty(), framed(START + "\r\nbody").contentLength());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Content-Length: 12|12",
        "content-length:12|12",
        "CONTENT-LENGTH :  7 |7",
        "l: 3|3",
        "L:0|0",
        "Content-Length: 5~l: 5|5",
        "Content-Length: 2147483647|2147483647",
    })
    void contentLengthInItsFormsAndEqualRepeats(String lines, int expected) {
        // "~" separates two header lines in one CSV value
        String headers = START + lines.replace("~", "\r\n") + "\r\n\r\n";
        assertEquals(OptionalInt.of(expected), framed(headers).contentLength(), lines);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Content-Length: 5~Content-Length: 6",
        "Content-Length: five",
        "Content-Length:",
        "Content-Length: 1 2",
        "l: -1",
        "Content-Length: 2147483648",
    })
    void aContentLengthThatIsNotOneNumberIsBad(String lines) {
        String headers = START + lines.replace("~", "\r\n") + "\r\n\r\n";
        assertEquals(new SipFraming.BadContentLength(headers.length()), frame(headers + "body"), lines);
    }

    @Test
    void linesAfterTheEmptyLineAreBodyNotHeaders() {
        assertEquals(OptionalInt.empty(), framed(START + "\r\nContent-Length: x\r\n\r\n").contentLength());
    }

    @Test
    void headerNamesThatOnlyStartLikeContentLengthAreOtherHeaders() {
        assertEquals(OptionalInt.empty(), framed(START + "Content-Lengthy: 1\r\nLoc: 2\r\n\r\n").contentLength());
    }

    @Test
    void onlyANameTheParserReadsAsContentLengthIsOne() {
        // JAIN-SIP ends a line at a bare CR too, and reads no hyphen into a CR or a CR into blanks
        assertEquals(OptionalInt.empty(), framed(START + "Content\rLength: 5\r\n\r\n").contentLength());
        assertEquals(OptionalInt.empty(), framed(START + "Content-Length\r: 5\r\n\r\n").contentLength());
        assertEquals(OptionalInt.empty(), framed(START + "Content_Length: 5\r\n\r\n").contentLength());
        assertEquals(OptionalInt.empty(), framed("l: 5\r\nCall-ID: x\r\n\r\n").contentLength(), "a start line");
    }

    @Test
    void aContentLengthFramingFindsIsOneTheParserFindsOnEveryCorpusMessage() throws Exception {
        int declared = 0;
        for (Path file : MessageIndexDifferentialTest.corpus()) {
            byte[] m = Files.readAllBytes(file);
            if (SipFraming.frame(m) instanceof SipFraming.Framed f && f.contentLength().isPresent()) {
                assertTrue(ViaSplice.declaresContentLength(m), file.toString());
                declared++;
            }
        }
        assertTrue(declared > 30, "most of the corpus declares a Content-Length: " + declared);
    }

    @Test
    void noEmptyLineIsNoHeaderEnd() {
        assertInstanceOf(SipFraming.NoHeaderEnd.class, frame(START + "Content-Length: 0\r\n"));
        assertInstanceOf(SipFraming.NoHeaderEnd.class, frame(START + "Content-Length: x"));
        assertInstanceOf(SipFraming.NoHeaderEnd.class, frame(""));
    }

    @Test
    void theStreamSearchFindsTheSameEndOnEveryCorpusMessage() throws Exception {
        int framedMessages = 0;
        for (Path file : MessageIndexDifferentialTest.corpus()) {
            byte[] m = Files.readAllBytes(file);
            int start = 0;
            while (start < m.length && (m[start] == '\r' || m[start] == '\n')) {
                start++;   // as both decoders skip them before a message
            }
            byte[] message = Arrays.copyOfRange(m, start, m.length);
            int searched = SipFraming.headerEnd(Unpooled.wrappedBuffer(message), 0, message.length);
            SipFraming.Frame frame = SipFraming.frame(message);
            if (searched < 0) {
                assertInstanceOf(SipFraming.NoHeaderEnd.class, frame, file.toString());
            } else {
                int end = frame instanceof SipFraming.Framed f ? f.headerEnd()
                        : assertInstanceOf(SipFraming.BadContentLength.class, frame, file.toString()).headerEnd();
                assertEquals(searched, end, file.toString());
                framedMessages++;
            }
        }
        assertTrue(framedMessages > 40, "most of the corpus has a header block: " + framedMessages);
    }
}

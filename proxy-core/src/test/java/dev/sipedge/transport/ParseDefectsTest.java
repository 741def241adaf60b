package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParseDefectsTest {

    private static ParseDefects scan(String text) {
        ParseDefects d = new ParseDefects();
        d.scanHeaderBlock(text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return d;
    }

    private static final String HEAD = "INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n";

    @Test
    void cleanMessageHasNoDefects() {
        // one of every single-valued header: each has its own slot (a shared slot once flagged Max-Forwards)
        ParseDefects d = scan(HEAD + "To: <sip:a@b>\nFrom: <sip:c@d>;tag=1\nCall-ID: x\nCSeq: 1 INVITE\n"
                + "Max-Forwards: 70\nContent-Type: application/sdp\n"
                + "Via: SIP/2.0/UDP h2;branch=z9hG4bK2\nContent-Length: 0\n\nCall-ID: in the body\n");
        assertTrue(d.isEmpty(), d.toString());
        assertEquals("SIP/2.0", d.requestLineVersion());
    }

    @Test
    void repeatedSingleHeadersAreFoundInLongAndCompactForm() {
        ParseDefects d = scan(HEAD + "To: <sip:a@b>\nt: <sip:e@f>\nCall-ID: x\ni: y\nCSeq: 1 INVITE\n"
                + "Max-Forwards: 70\nContent-Length: 0\nl: 4\n\n");
        assertEquals(List.of("To", "Call-ID", "Content-Length"), d.repeated());
    }

    @Test
    void foldedLinesAndOtherHeadersDoNotCount() {
        ParseDefects d = scan(HEAD + "Subject: a\n CSeq: folded, not a header\nCSeq: 1 INVITE\nContact: <sip:x>\nContact: <sip:y>\n\n");
        assertTrue(d.repeated().isEmpty(), d.toString());
    }

    @Test
    void requestLineVersionIsReadRaw() {
        assertEquals("SIP/7.0", scan("\n\nOPTIONS sip:a@b SIP/7.0\nCSeq: 1 OPTIONS\n\n").requestLineVersion());
        assertNull(scan("SIP/2.0 200 OK\nCSeq: 1 INVITE\n\n").requestLineVersion(), "responses are not checked");
    }
}

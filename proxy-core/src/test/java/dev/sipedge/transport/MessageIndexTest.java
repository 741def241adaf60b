package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageIndexTest {

    /** Indexes {@code headers} ('|' for CRLF) as a header block followed by a body that looks like a header. */
    private static MessageIndex index(String headers) {
        String block = headers.replace("|", "\r\n") + "\r\n\r\n";
        byte[] m = (block + "Call-ID: body\r\n").getBytes(StandardCharsets.UTF_8);
        return assertInstanceOf(MessageIndex.Indexed.class,
                MessageIndex.of(m, block.getBytes(StandardCharsets.UTF_8).length)).index();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "INVITE sip:a@b SIP/2.0|Via: x|Call-ID: abc@host|CSeq: 1 INVITE; abc@host",
        "INVITE sip:a@b SIP/2.0|call-id:abc; abc",
        "INVITE sip:a@b SIP/2.0|CALL-ID  :   a b c  ; a b c",
        "INVITE sip:a@b SIP/2.0|i: compact-1; compact-1",
        "SIP/2.0 200 OK|Via: x|I:\tz9; z9",
        "INVITE sip:a@b SIP/2.0|Call-Info: <http://x>|Call-ID: second; second",
        "INVITE sip:a@b SIP/2.0|Call-ID:| \tfolded@host; folded@host",
        "INVITE sip:a@b SIP/2.0|Call-ID: two|  lines; two lines",
        "INVITE sip:a@b SIP/2.0|garbage line without colon|Call-ID: after; after",
    })
    void findsTheCallIdInAnyForm(String headers, String expected) {
        assertEquals(expected, index(headers).callId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "INVITE sip:a@b SIP/2.0|Via: x|CSeq: 1 INVITE",
        "INVITE sip:a@b SIP/2.0|If-Match: x",
        "INVITE sip:a@b SIP/2.0|Call-ID:",
        "INVITE sip:a@b SIP/2.0|Call-ID:|  ",
    })
    void noCallIdWhenAbsentOrEmptyAndNeverFromTheBody(String headers) {
        assertNull(index(headers).callId());
    }

    @Test
    void namesValuesAndCompactFormsLineByLine() {
        MessageIndex m = index("SIP/2.0 180 Ringing|v: SIP/2.0/UDP a;branch=z9hG4bK1|Via : SIP/2.0/UDP b"
                + "|f: <sip:a@x>;tag=1|To:<sip:b@x>|Contact: <sip:c@x>|Content-Length: 0|X-Empty:");
        assertEquals("SIP/2.0 180 Ringing", m.startLine());
        assertEquals(7, m.headerCount());
        assertEquals("v", m.name(0));
        assertEquals("Via", m.name(1));
        assertEquals(2, m.count(SipHeaderName.VIA));
        assertEquals("SIP/2.0/UDP a;branch=z9hG4bK1", m.first(SipHeaderName.VIA));
        assertEquals("<sip:a@x>;tag=1", m.first(SipHeaderName.FROM));
        assertEquals("<sip:b@x>", m.first(SipHeaderName.TO));
        assertTrue(m.is(2, SipHeaderName.FROM));
        assertEquals("", m.value(6));
        assertNull(m.first(SipHeaderName.ROUTE));
        assertThrows(IndexOutOfBoundsException.class, () -> m.value(7));
    }

    @Test
    void lfOnlyLineEndsAndBytesAboveAsciiInValues() {
        byte[] m = "OPTIONS sip:a@b SIP/2.0\nSubject: caf\u00e9\nCall-ID: lf-only\n\n".getBytes(StandardCharsets.UTF_8);
        MessageIndex index = ((MessageIndex.Indexed) MessageIndex.of(m, m.length)).index();
        assertEquals("lf-only", index.callId());
        assertEquals("caf\u00e9", index.value(0));
    }

    @Test
    void aHeaderBlockOfTooManyLinesIsRefused() {
        StringBuilder headers = new StringBuilder("INVITE sip:a@b SIP/2.0\r\n");
        for (int i = 0; i <= MessageIndex.MAX_HEADERS; i++) {
            headers.append("X-").append(i).append(": y\r\n");
        }
        byte[] m = headers.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        MessageIndex.NotIndexable refused = assertInstanceOf(MessageIndex.NotIndexable.class, MessageIndex.of(m, m.length));
        assertEquals("more than 256 header lines", refused.reason());
    }

    @Test
    void anEmptyOrShortBlockIsIndexedWithoutHeaders() {
        assertEquals(0, ((MessageIndex.Indexed) MessageIndex.of(new byte[0], 0)).index().headerCount());
        byte[] m = "X".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, ((MessageIndex.Indexed) MessageIndex.of(m, 99)).index().headerCount());
    }
}

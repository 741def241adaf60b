package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallIdsTest {

    private static String find(String headers) {
        byte[] m = (headers.replace("|", "\r\n") + "\r\n\r\nCall-ID: body\r\n").getBytes(StandardCharsets.UTF_8);
        int end = headers.length() + 4;
        return CallIds.find(m, end);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "INVITE sip:a@b SIP/2.0|Via: x|Call-ID: abc@host|CSeq: 1 INVITE; abc@host",
        "INVITE sip:a@b SIP/2.0|call-id:abc; abc",
        "INVITE sip:a@b SIP/2.0|CALL-ID  :   a b c  ; a b c",
        "INVITE sip:a@b SIP/2.0|i: compact-1; compact-1",
        "SIP/2.0 200 OK|Via: x|I:\tz9; z9",
        "INVITE sip:a@b SIP/2.0|Call-Info: <http://x>|Call-ID: second; second",
    })
    void findsTheHeaderValueInAnyForm(String headers, String expected) {
        assertEquals(expected, find(headers));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "INVITE sip:a@b SIP/2.0|Via: x|CSeq: 1 INVITE",
        "INVITE sip:a@b SIP/2.0|If-Match: x",
        "INVITE sip:a@b SIP/2.0|Call-ID:",
    })
    void nullWhenAbsentOrEmptyAndNeverFromTheBody(String headers) {
        assertNull(find(headers));
    }
}

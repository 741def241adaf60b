package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte edit a relayed response gets: its top Via out, everything else byte for byte. */
class ViaSpliceTest {

    private static byte[] bytes(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String spliced(String message) {
        ViaSplice.Result r = ViaSplice.removeTopVia(bytes(message));
        ViaSplice.Spliced s = assertInstanceOf(ViaSplice.Spliced.class, r, r.toString());
        return new String(s.bytes(), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    }

    private static String removed(String message) {
        return new String(((ViaSplice.Spliced) ViaSplice.removeTopVia(bytes(message))).removed(),
                StandardCharsets.ISO_8859_1);
    }

    private static final String TAIL = """
            From: <sip:a@x>;tag=1
            To: <sip:b@y>;tag=2
            Call-ID: c
            CSeq: 1 INVITE
            X-Odd:   kept   as   is
            Content-Length: 4

            body""";

    @Test
    void aViaHeaderOfOneValueGoesWholeAndTheRestIsUntouched() {
        String in = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertEquals("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n" + TAIL, spliced(in));
        assertEquals("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours\r\n", removed(in));
    }

    @Test
    void onlyTheFirstValueOfAViaListGoes() {
        String in = "SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours , SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertEquals("SIP/2.0 180 Ringing\nVia: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK-up\n" + TAIL, spliced(in));
        assertEquals("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours ", removed(in));
    }

    @Test
    void aListFoldedAfterItsCommaKeepsTheNextValue() {
        String in = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours,\n  SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertEquals("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n" + TAIL, spliced(in));
    }

    @Test
    void aFoldedSingleViaGoesWithItsContinuationLines() {
        String in = "SIP/2.0 200 OK\nv: SIP/2.0/UDP 10.0.0.1\n ;branch=z9hG4bK-ours\nVIA : SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertEquals("SIP/2.0 200 OK\nVIA : SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n" + TAIL, spliced(in));
    }

    @Test
    void aCommaInsideAQuotedParameterIsNotAListSeparator() {
        String in = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours;x=\"a,b\"\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertEquals("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n" + TAIL, spliced(in));
    }

    @Test
    void headersBeforeTheViaStayInPlace() {
        String in = "SIP/2.0 200 OK\nRecord-Route: <sip:p;lr>\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertEquals("SIP/2.0 200 OK\nRecord-Route: <sip:p;lr>\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n" + TAIL,
                spliced(in));
    }

    @Test
    void oddInputIsNotSplicedButSaysWhy() {
        assertInstanceOf(ViaSplice.NotSpliced.class, ViaSplice.removeTopVia(
                "SIP/2.0 200 OK\nVia: SIP/2.0/UDP a;branch=z9hG4bK-1\n\n".getBytes(StandardCharsets.ISO_8859_1)),
                "bare LF line ends");
        assertInstanceOf(ViaSplice.NotSpliced.class, ViaSplice.removeTopVia(bytes("SIP/2.0 200 OK\n" + TAIL)), "no Via");
        assertInstanceOf(ViaSplice.NotSpliced.class, ViaSplice.removeTopVia(
                bytes("SIP/2.0 200 OK\nVia: SIP/2.0/UDP a;branch=z9hG4bK-1")), "no blank line");
        assertInstanceOf(ViaSplice.NotSpliced.class, ViaSplice.removeTopVia(
                bytes("SIP/2.0 200 OK\nVia: SIP/2.0/UDP a;branch=z9hG4bK-1,\n" + TAIL)), "a list ending in a comma");
        assertInstanceOf(ViaSplice.NotSpliced.class, ViaSplice.removeTopVia(new byte[0]), "nothing");
    }

    @Test
    void theSearchEndsWhereTheCallerSaysTheHeaderBlockEnds() {
        // the header end comes from framing; past it, a body that looks like a Via is not one
        String head = "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n";
        byte[] m = (head + "Via: SIP/2.0/UDP a;branch=z9hG4bK-1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(new ViaSplice.NotSpliced("no Via"), ViaSplice.removeTopVia(m, head.length()));
        assertInstanceOf(ViaSplice.Spliced.class, ViaSplice.removeTopVia(m, m.length), "the same bytes, bounded further");
    }

    @Test
    void contentLengthIsFoundInLongAndCompactForm() {
        assertTrue(ViaSplice.declaresContentLength(bytes("SIP/2.0 200 OK\nContent-Length: 0\n\n")));
        assertTrue(ViaSplice.declaresContentLength(bytes("SIP/2.0 200 OK\nl: 0\n\n")));
        assertFalse(ViaSplice.declaresContentLength(bytes("SIP/2.0 200 OK\nContent-Type: a/b\n\nxx")));
        assertFalse(ViaSplice.declaresContentLength(bytes("SIP/2.0 200 OK\nX: 1\nContent-Length: 0")), "no blank line");
    }

    @Test
    void aTopViaJainSipReadsAsTwoViasIsNotSpliced() {
        // JAIN-SIP starts a second Via after the first one's parameters without wanting a comma:
        // cutting the line would take the upstream Via with ours
        String in = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-ours SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-up\n"
                + TAIL;
        assertInstanceOf(ViaSplice.NotSpliced.class, ViaSplice.removeTopVia(bytes(in)));
    }

    @Test
    void aPlainViaValueIsOneJainSipReadsAsOneVia() {
        for (String plain : List.of("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport",
                "SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-1;received=10.0.0.9 ",
                "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw",
                "SIP/2.0/UDP h ; branch = z9hG4bK-1 ; x=\"a, \\\"b\"")) {
            assertTrue(plain(plain), plain);
        }
        for (String odd : List.of("SIP/2.0/UDP h;branch=z9hG4bK-1 SIP/2.0/UDP g",
                "SIP/2.0/UDP h;branch=z9hG4bK-1 (a comment)",
                "SIP/2.0/UDP h;branch=z9hG4bK-1;x=a\"b",
                "SIP/2.0/UDP h;branch=z9hG4bK-1;x=\"unclosed",
                "SIP/2.0/UDP h\u00bd;branch=z9hG4bK-1",
                "SIP/2.0/UDP h;branch=z9hG4bK-1,")) {
            assertFalse(plain(odd), odd);
        }
    }

    private static boolean plain(String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        return ViaSplice.isPlainValue(b, 0, b.length);
    }
}

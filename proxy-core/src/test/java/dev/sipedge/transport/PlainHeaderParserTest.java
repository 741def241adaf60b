package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.ParserFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The plain path against JAIN-SIP, header by header: a line it takes must give the objects
 * JAIN-SIP's parser gives (same encoding, same fields all the way down), and a line outside its
 * grammar must be left to JAIN-SIP untouched.
 */
class PlainHeaderParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bench-1;rport",
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sipedge-1a2b3c;rport=5060",
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1;rport=5061;received=127.0.0.1",
            "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKabc",
            "v: SIP/2.0/UDP h.example.com:5060 ; branch = z9hG4bK77 ; ttl=1",
            "via:SIP / 2.0 / UDP 10.0.0.1 : 5070;branch=z9hG4bK.x",
            "From: sipp <sip:sipp@127.0.0.1:5061>;tag=12345SIPpTag001",
            "From: \"Alice Smith\" <sip:alice@atlanta.example.com>;tag=1928301774",
            "f: <sips:alice@atlanta.example.com>;tag=88",
            "To: bob <sip:bob@127.0.0.1:5070>",
            "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf",
            "t:<sip:+15551234567@gw.example.com;user=phone>",
            "Call-ID: 1-12345@127.0.0.1",
            "i: a84b4c76e66710@pc33.atlanta.example.com",
            "CSeq: 1 INVITE",
            "CSeq: 4711 bye",
            "CSeq:  2   ACK",
            "CSeq: 1 REFER",
            "CSeq: 2 prack",
            "CSeq: 3 UPDATE",
            "CSeq: 4 INFO",
            "CSeq: 5 Message",
            "Contact: <sip:sipp@127.0.0.1:5061;transport=UDP>",
            "Contact: <sip:127.0.0.1:5070;transport=UDP>;expires=3600;q=0.7",
            "m: <sip:alice@pc33.atlanta.example.com>",
            "Max-Forwards: 70",
            "Content-Type: application/sdp",
            "c: text/plain;charset=utf-8",
            "Content-Type: multipart/mixed ; boundary=7a9cbec02ceef655",
            "Content-Type: application /sdp",
            "Content-Type: */*",
            "Max-Forwards: 0",
            "Content-Length: 129",
            "l: 0",
            "Record-Route: <sip:127.0.0.1:5060;lr;did=n1.1>",
            "Record-Route: <sip:p1.example.com;lr>",
            "Route: <sip:127.0.0.1:5060;lr;did=n1.1>",
            "Route: <sip:10.0.0.1:5060;transport=tcp;lr>",
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2",
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-s-1;rport=5060 ,SIP/2.0/UDP 127.0.0.1:5061;received=127.0.0.1,"
                    + "SIP/2.0/TCP h.example.com;branch=z9hG4bK3",
            "Contact: <sip:a@h1.example.com>;expires=60, \"B\" <sip:b@h2.example.com>",
            "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>",
            "Record-Route: <sip:127.0.0.1:5060;lr;did=n1.1>, <sip:10.0.0.9;lr>",
            // the IPv6 test stops at the comma: the next value's colon is not the first one's second
            "Via: SIP/2.0/UDP 10.0.0.1:5060,SIP/2.0/UDP 10.0.0.2:5061",
            "Subject: Performance Test",
            "s:   lunch,  at \"noon\" (maybe)  ",
            "Subject:x",
    })
    void aPlainLineIsTakenAndEqualsJainSips(String line) throws Exception {
        assertSameAsJainSip(line, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP 10.0.0.1;branch=\"z9hG4bK1\"",
            "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1 (a comment)",
            "Via: SIP/2.0/UDP 10.0.0.1:99999;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP 10.0.0.1;branch;rport",
            "From: sip:alice@atlanta.example.com;tag=1",
            "From: \"Al\\\"ice\" <sip:alice@atlanta.example.com>;tag=1",
            "From: <sip:alice:secret@atlanta.example.com>;tag=1",
            "From: <sip:al%20ice@atlanta.example.com>;tag=1",
            "From: <tel:+15551234567>;tag=1",
            "To: <sip:bob@biloxi.example.com?Subject=hi>",
            "To: <sip:bob@biloxi.example.com>;tag=\"quoted\"",
            "Contact: *",
            "From: <sip:a@h1.example.com>;tag=1, <sip:b@h2.example.com>",
            "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,",
            "Via: SIP/2.0/UDP 10.0.0.1;received=10.0.0.2 ,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK1",
            "Route: <sip:p1.example.com;lr>,,<sip:p2.example.com;lr>",
            "CSeq: 99999999999 INVITE",
            "CSeq: INVITE",
            "CSeq: 4711 E",
            "CSeq: 47V",
            "CSeq: 1 FOO",
            "Max-Forwards: 256",
            "Max-Forwards: 7O",
            "Content-Length: -1",
            "Call-ID:",
            "Subject:",
            "Content-Type: text/plain; charset=\"utf-8\"",
            "Content-Type: application / sdp",
            "Content-Type: application/sdp x",
    })
    void anUnusualLineIsLeftToJainSip(String line) throws Exception {
        assertSameAsJainSip(line, false);
    }

    /** Every header line of the RFC 4475 and malformed corpora: whatever the plain path takes, JAIN-SIP parses the same. */
    @Test
    void everyCorpusLineThePlainPathTakesEqualsJainSips() throws Exception {
        int taken = 0;
        int lines = 0;
        for (Path file : MessageIndexDifferentialTest.corpus()) {
            for (String line : headerLines(Files.readAllBytes(file))) {
                lines++;
                SIPRequest plain = new SIPRequest();
                if (PlainHeaderParser.attach(plain, line)) {
                    taken++;
                    assertEquals(headersOf(jainSip(line)), headersOf(plain), file.getFileName() + ": " + line);
                }
            }
        }
        assertTrue(taken > 200 && lines > taken, "taken " + taken + " of " + lines + " lines");
    }

    /**
     * The plain path copies each header from one prototype: a parameter or a duplicate parameter
     * set on one copy must reach neither another copy nor the copies made after it.
     */
    @Test
    void copiesOfOnePrototypeShareNoParameterList() throws Exception {
        SIPRequest first = new SIPRequest();
        SIPRequest second = new SIPRequest();
        assertTrue(PlainHeaderParser.attach(first, "To: <sip:bob@biloxi.example.com>;tag=1"));
        assertTrue(PlainHeaderParser.attach(second, "To: <sip:bob@biloxi.example.com>"));
        To changed = (To) first.getTo();
        changed.setMultiParameter("x", "1");
        changed.setParameter("y", "2");
        assertFalse(((To) second.getTo()).hasMultiParameters(), "duplicates list shared");
        assertFalse(second.getTo().getParameterNames().hasNext(), "parameter list shared");

        SIPRequest later = new SIPRequest();
        assertTrue(PlainHeaderParser.attach(later, "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1"));
        assertTrue(PlainHeaderParser.attach(later, "To: <sip:carol@chicago.example.com>"));
        assertFalse(((To) later.getTo()).hasMultiParameters(), "the prototype was changed");
        assertEquals("To: <sip:carol@chicago.example.com>\r\n", later.getTo().toString());
        ((Via) later.getTopmostVia()).setMultiParameter("x", "1");
        SIPRequest afterVia = new SIPRequest();
        assertTrue(PlainHeaderParser.attach(afterVia, "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2"));
        assertFalse(((Via) afterVia.getTopmostVia()).hasMultiParameters(), "the Via prototype was changed");
    }

    static void assertSameAsJainSip(String line, boolean expectTaken) throws Exception {
        SIPRequest plain = new SIPRequest();
        boolean taken = PlainHeaderParser.attach(plain, line);
        if (!expectTaken) {
            assertFalse(taken, line);
            assertEquals(headersOf(new SIPRequest()), headersOf(plain), "a declined line leaves the message untouched");
            return;
        }
        assertTrue(taken, line);
        assertEquals(headersOf(jainSip(line)), headersOf(plain), line);
    }

    /** The message JAIN-SIP's own header parser makes of one line. */
    static SIPRequest jainSip(String line) throws Exception {
        SIPRequest reference = new SIPRequest();
        SIPHeader header = ParserFactory.createParser(line + "\n").parse();
        reference.attachHeader(header, false);
        return reference;
    }

    /** Each header's encoding and all its fields, recursively. */
    static List<String> headersOf(SIPRequest message) {
        List<String> out = new ArrayList<>();
        for (Iterator<SIPHeader> it = message.getHeaders(); it.hasNext(); ) {
            SIPHeader header = it.next();
            out.add(header.encode());
            out.add(FieldDump.of(header));
        }
        return out;
    }

    /** The unfolded header lines of a message, as JAIN-SIP's message parser hands them on. */
    static List<String> headerLines(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String block = end < 0 ? text : text.substring(0, end);
        List<String> lines = new ArrayList<>();
        String[] raw = block.split("\r?\n");
        for (int i = 1; i < raw.length; i++) {
            String line = raw[i];
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !lines.isEmpty()) {
                lines.set(lines.size() - 1, lines.get(lines.size() - 1) + line.substring(1));
            } else if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}

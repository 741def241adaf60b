package dev.sipedge.proxy.validation;

import dev.sipedge.transport.ParseDefects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(Set.of("Sec-Agree"));

    private Verdict validate(String text) {
        ParseDefects defects = new ParseDefects();
        return validator.validate(Fixtures.request(text, defects), defects);
    }

    private Verdict.Reject rejected(String text) {
        return assertInstanceOf(Verdict.Reject.class, validate(text));
    }

    @Test
    void wellFormedInviteIsOk() {
        Verdict verdict = validate(Fixtures.INVITE);
        assertTrue(verdict.ok(), verdict::toString);
        assertEquals(Verdict.PASS, verdict);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "To: <sip:bob@example.org>           | To",
            "From: <sip:alice@example.com>;tag=a1 | From",
            "Call-ID: val-1@192.0.2.10           | Call-ID",
            "CSeq: 1 INVITE                      | CSeq",
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKuac1 | Via",
    })
    void missingMandatoryHeaderIs400NamingIt(String line, String header) {
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace(line + "\n", ""));
        assertEquals(400, verdict.status());
        assertEquals("Missing " + header + " header field", verdict.reason());
    }

    @Test
    void missingMaxForwardsIsAllowed() {
        assertTrue(validate(Fixtures.INVITE.replace("Max-Forwards: 70\n", "")).ok());
    }

    @Test
    void zeroMaxForwardsIs483() {
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace("Max-Forwards: 70", "Max-Forwards: 0"));
        assertEquals(483, verdict.status());
        assertTrue(validate(Fixtures.INVITE.replace("Max-Forwards: 70", "Max-Forwards: 1")).ok());
    }

    @Test
    void cseqNumberMustStayBelowTwoToThe31() {
        assertTrue(validate(Fixtures.INVITE.replace("CSeq: 1 INVITE", "CSeq: 2147483647 INVITE")).ok());
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace("CSeq: 1 INVITE", "CSeq: 2147483648 INVITE"));
        assertEquals(400, verdict.status());
        assertEquals("CSeq number out of range", verdict.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CSeq: 1 OPTIONS", "CSeq: 1 invite", "CSeq: 1 ACK"})
    void cseqMethodMustEqualRequestMethod(String cseq) {
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace("CSeq: 1 INVITE", cseq));
        assertEquals(400, verdict.status());
    }

    @Test
    void ackAndCancelNeedTheirOwnMethodInCSeqToo() {
        String ack = Fixtures.INVITE.replace("INVITE sip:", "ACK sip:");
        assertEquals(400, rejected(ack).status());
        assertTrue(validate(ack.replace("CSeq: 1 INVITE", "CSeq: 1 ACK")).ok());
    }

    @Test
    void repeatedSingleValuedHeaderIs400EvenInCompactForm() {
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace("To: <sip:bob@example.org>\n",
                "To: <sip:bob@example.org>\nt: <sip:carol@example.org>\n"));
        assertEquals(400, verdict.status());
        assertEquals("Multiple To header fields", verdict.reason());
    }

    @Test
    void repeatedListHeadersAreFine() {
        assertTrue(validate(Fixtures.INVITE.replace("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKuac1\n",
                "Via: SIP/2.0/UDP p1.example.net;branch=z9hG4bKp1\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKuac1\n"))
                .ok());
    }

    @Test
    void unparseableNonEssentialHeaderIsTolerated() {
        ParseDefects defects = new ParseDefects();
        Verdict verdict = validator.validate(Fixtures.request(
                Fixtures.INVITE.replace("Content-Length: 0", "Expires: banana\nContent-Length: 0"), defects), defects);
        assertTrue(verdict.ok(), verdict::toString);
        assertEquals("Expires", defects.malformed().get(0).header());
    }

    @Test
    void proxyRequireListsOnlyUnsupportedTags() {
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace("Content-Length: 0",
                "Proxy-Require: sec-agree, foo\nProxy-Require: bar\nContent-Length: 0"));
        assertEquals(420, verdict.status());
        assertEquals("Bad Extension", verdict.reason());
        assertEquals(List.of("foo", "bar"), verdict.unsupported());
    }

    @Test
    void requestUriSchemes() {
        assertTrue(validate(Fixtures.INVITE.replace("INVITE sip:bob@example.org", "INVITE tel:+15551234567")).ok());
        assertTrue(validate(Fixtures.INVITE.replace("INVITE sip:bob@example.org", "INVITE sips:bob@example.org")).ok());
        assertEquals(416, rejected(Fixtures.INVITE.replace("INVITE sip:bob@example.org", "INVITE im:bob@example.org"))
                .status());
    }

    @Test
    void versionComesFromTheRawRequestLine() {
        Verdict.Reject verdict = rejected(Fixtures.INVITE.replace("example.org SIP/2.0", "example.org SIP/3.0"));
        assertEquals(505, verdict.status());
    }

    @Test
    void withoutDefectsOnlyTheModelIsChecked() {
        var request = Fixtures.request(Fixtures.INVITE);
        assertTrue(validator.validate(request).ok());
        assertFalse(validator.validate(Fixtures.request(Fixtures.INVITE.replace("CSeq: 1 INVITE", "CSeq: 1 BYE")))
                .ok());
    }
}

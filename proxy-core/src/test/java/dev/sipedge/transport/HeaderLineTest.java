package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import org.junit.jupiter.api.Test;

/** The cursor's tokens: common ones are one shared instance per value, the rest copies of the line. */
class HeaderLineTest {

    @Test
    void aCommonTokenIsTheSameInstanceWhicheverLineItCameFrom() {
        HeaderLine first = HeaderLine.header("Via: SIP/2.0/UDP a.example.com");
        HeaderLine second = HeaderLine.header("Via: SIP/2.0/UDP b.example.com");
        String sip = first.token();
        assertEquals("SIP", sip);
        assertSame(sip, second.token());
        first.expect('/');
        second.expect('/');
        String version = first.token();
        assertEquals("2.0", version);
        assertSame(version, second.token());
        first.expect('/');
        second.expect('/');
        String udp = first.token();
        assertEquals("UDP", udp);
        assertSame(udp, second.token());
        assertTrue(first.ok && second.ok);
    }

    @Test
    void otherTokensAndOtherCasesAreCopiesWithTheirOwnText() {
        HeaderLine lower = HeaderLine.header("Via: sip/2.0/Udp h");
        assertEquals("sip", lower.token());
        lower.expect('/');
        assertEquals("2.0", lower.token());
        lower.expect('/');
        assertEquals("Udp", lower.token());
        HeaderLine longer = HeaderLine.header("X: application-sdp-extended");
        assertEquals("application-sdp-extended", longer.token(), "longer than every common token");
        HeaderLine x = HeaderLine.header("X: Sipx");
        HeaderLine y = HeaderLine.header("Y: Sipx");
        String a = x.token();
        assertEquals("Sipx", a);
        assertNotSame(a, y.token());
    }

    @Test
    void uriParametersOfARouteAreSharedToo() {
        HeaderLine a = HeaderLine.header("Route: <sip:p1.example.com;lr;transport=udp>");
        HeaderLine b = HeaderLine.header("Route: <sip:p2.example.com;transport=udp;lr>");
        AddressImpl first = a.nameAddr();
        AddressImpl second = b.nameAddr();
        assertTrue(a.ok && b.ok);
        SipUri one = (SipUri) first.getURI();
        SipUri two = (SipUri) second.getURI();
        assertEquals("udp", one.getParameter("transport"));
        assertSame(one.getParameter("transport"), two.getParameter("transport"));
    }

    @Test
    void anEmptyTokenFailsTheLine() {
        HeaderLine line = HeaderLine.header("Via: /2.0");
        assertEquals("", line.token());
        assertFalse(line.ok);
    }
}

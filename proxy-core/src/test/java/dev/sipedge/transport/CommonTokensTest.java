package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class CommonTokensTest {
    private static final String LINE = "SIP/2.0/udp 192.0.2.1;branch=z9hG4bK1;rport;tag;TLS;sip;tls";

    private static String text(String token) {
        int start = LINE.indexOf(token);
        return CommonTokens.text(LINE, start, start + token.length());
    }

    @Test
    void aCommonTokenIsItsOneInstance() {
        assertSame("SIP", text("SIP"));
        assertSame("udp", text("udp"));
        assertSame("branch", text("branch"));
        assertSame("rport", text("rport"));
        assertSame("tag", text("tag"));
        assertSame("TLS", text("TLS"));
        assertSame("tls", text("tls"));
    }

    @Test
    void anyOtherTextIsACopyInTheCaseItCameIn() {
        String sip = text("sip");
        assertEquals("sip", sip);
        assertNotSame("SIP", sip);
        assertEquals("z9hG4bK1", text("z9hG4bK1"));
        assertEquals("192.0.2.1", text("192.0.2.1"));
        assertEquals("SIP/2.0", CommonTokens.text(LINE, 0, 7));
        assertEquals("", CommonTokens.text(LINE, 3, 3));
    }
}

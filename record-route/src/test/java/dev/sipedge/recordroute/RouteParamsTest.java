package dev.sipedge.recordroute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteParamsTest {

    @Test
    void withIsCopyOnWriteAndCaseInsensitive() {
        RouteParams one = RouteParams.EMPTY.with("DID", "x1");
        RouteParams two = one.with("flag", null);
        assertTrue(RouteParams.EMPTY.isEmpty());
        assertEquals("x1", one.get("did"));
        assertFalse(one.has("flag"));
        assertTrue(two.has("FLAG"));
        assertNull(two.get("flag"));
        assertEquals(List.of("did", "flag"), List.copyOf(two.asMap().keySet()));
        assertNotEquals(one, two);
        assertSame(RouteParams.EMPTY, one.without("did"));
    }

    @Test
    void readingAUriSkipsTheParamsTheLayerWritesItself() throws Exception {
        SipUri uri = new StringMsgParser().parseSIPUrl("sip:p.example.com:5060;transport=tcp;lr;maddr=1.2.3.4;did=9;ftag");
        RouteParams read = RouteParams.fromUri(uri);
        assertEquals(RouteParams.EMPTY.with("did", "9").with("ftag", null), read);
        assertEquals(";did=9;ftag", read.toString());
    }
}

package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** RFC 3261 §18.2.1 and RFC 3581 §4 on received requests. */
class ReceivedParameterTest {

    private static Via stamped(String via, InetSocketAddress source) throws Exception {
        String text = "OPTIONS sip:x@example.com SIP/2.0\r\nVia: " + via + "\r\nVia: SIP/2.0/UDP 198.51.100.9\r\n"
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:x@example.com>\r\nCall-ID: r1\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SIPRequest request = (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(), true, false, null);
        ReceivedParameter.addTo(request, source);
        assertNull(((Via) request.getViaHeaders().get(1)).getReceived(), "only the top Via is touched");
        return request.getTopmostVia();
    }

    @Test
    void sameAddressNeedsNoReceived() throws Exception {
        Via via = stamped("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", new InetSocketAddress("192.0.2.1", 6000));
        assertNull(via.getReceived());
        assertNull(via.getParameter("rport"));
    }

    @Test
    void differentAddressGetsReceived() throws Exception {
        Via via = stamped("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", new InetSocketAddress("203.0.113.7", 5060));
        assertEquals("203.0.113.7", via.getReceived());
    }

    @Test
    void hostNameAlwaysGetsReceived() throws Exception {
        Via via = stamped("SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1", new InetSocketAddress("192.0.2.4", 5060));
        assertEquals("192.0.2.4", via.getReceived());
    }

    @Test
    void emptyRportIsFilledAndReceivedAddedEvenForTheSameAddress() throws Exception {
        Via via = stamped("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1", new InetSocketAddress("192.0.2.1", 61000));
        assertEquals("61000", via.getParameter("rport"));
        assertEquals("192.0.2.1", via.getReceived());
    }

    @Test
    void rportWithAValueIsLeftAlone() throws Exception {
        Via via = stamped("SIP/2.0/UDP 192.0.2.1:5060;rport=7000;branch=z9hG4bK1", new InetSocketAddress("192.0.2.1", 61000));
        assertEquals("7000", via.getParameter("rport"));
        assertNull(via.getReceived());
    }

    @Test
    void ipv6SourceComparesByValue() throws Exception {
        Via same = stamped("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1", new InetSocketAddress("2001:db8:0:0:0:0:0:1", 5060));
        assertNull(same.getReceived());
        Via other = stamped("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1", new InetSocketAddress("2001:db8::2", 5060));
        assertEquals("2001:db8::2", other.getReceived().replace("[", "").replace("]", ""));
    }
}

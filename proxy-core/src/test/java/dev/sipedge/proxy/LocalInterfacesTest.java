package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetSocketAddress;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalInterfacesTest {

    private static Map.Entry<TransportKind, InetSocketAddress> bound(TransportKind kind, String host, int port) {
        return new AbstractMap.SimpleImmutableEntry<>(kind, new InetSocketAddress(host, port));
    }

    private static Via via(String value) throws Exception {
        return (Via) ((gov.nist.javax.sip.header.ViaList) StringMsgParser.parseSIPHeader("Via: " + value)).getFirst();
    }

    @Test
    void ourIpv6ViaIsRecognisedWithBracketsAndInAnySpelling() throws Exception {
        LocalInterfaces ifaces = new LocalInterfaces(List.of(bound(TransportKind.UDP, "::1", 5060)), null);
        assertTrue(ifaces.isOurVia(via("SIP/2.0/UDP [0:0:0:0:0:0:0:1]:5060;branch=z9hG4bK1")));
        assertTrue(ifaces.isOurVia(via("SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1")));
        assertFalse(ifaces.isOurVia(via("SIP/2.0/UDP [::2]:5060;branch=z9hG4bK1")));
        assertFalse(ifaces.isOurVia(via("SIP/2.0/TCP [::1]:5060;branch=z9hG4bK1")), "other transport");
    }

    @Test
    void inboundListenerIsTheOneBoundToTheMessagesLocalAddress() {
        LocalInterfaces ifaces = new LocalInterfaces(List.of(bound(TransportKind.UDP, "10.0.0.1", 5060),
                bound(TransportKind.UDP, "192.168.1.1", 5060)), null);
        Flow flow = new Flow(TransportKind.UDP, new InetSocketAddress("192.168.1.1", 5060),
                new InetSocketAddress("192.168.1.50", 5060));
        assertEquals("192.168.1.1", ifaces.inbound(flow).advertised().host());
        assertEquals("10.0.0.1", ifaces.outbound(TransportKind.UDP).advertised().host(), "requests leave from the first");
    }

    @Test
    void advertisedAddressReplacesTheSocketAddressInViaAndStaysOurs() throws Exception {
        LocalInterfaces ifaces = new LocalInterfaces(List.of(bound(TransportKind.UDP, "0.0.0.0", 5060)), "sip.example.com");
        assertEquals("sip.example.com", ifaces.outbound(TransportKind.UDP).advertised().host());
        assertTrue(ifaces.isOurVia(via("SIP/2.0/UDP sip.example.com;branch=z9hG4bK1")), "port 5060 by default");
    }
}

package dev.sipedge.recordroute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordRouterTest {

    private final RecordRouter recordRouter = new RecordRouter();
    private final LocalInterface udp = new LocalInterface("203.0.113.5", 5060, "udp");
    private final LocalInterface tcp = new LocalInterface("203.0.113.5", 5060, "tcp");

    @Test
    void udpEntryHasPortAndLrButNoTransport() {
        assertEquals("sip:203.0.113.5:5060;lr",
                RecordRouter.recordRouteUri(udp, RouteParams.EMPTY).toString());
    }

    @Test
    void otherTransportsAreWrittenAndParamsFollowLr() {
        RouteParams params = RouteParams.EMPTY.with("did", "3a.9f1").with("nat", null);
        assertEquals("sip:203.0.113.5:5060;transport=tcp;lr;did=3a.9f1;nat",
                RecordRouter.recordRouteUri(tcp, params).toString());
    }

    @Test
    void ipv6HostGetsBrackets() {
        LocalInterface v6 = new LocalInterface("2001:DB8::1", 5070, "udp");
        assertEquals("sip:[2001:db8::1]:5070;lr", RecordRouter.recordRouteUri(v6, RouteParams.EMPTY).toString());
    }

    @Test
    void doubleRecordRouteHasOutboundOnTopAndParamsOnBoth() {
        SIPRequest invite = SipText.request(SipText.INITIAL_INVITE);
        recordRouter.addRecordRoute(invite, udp, tcp, RouteParams.EMPTY.with("did", "d"));
        assertEquals(List.of("sip:203.0.113.5:5060;transport=tcp;lr;did=d",
                        "sip:203.0.113.5:5060;lr;did=d",
                        "sip:upstream.example.net;lr"),
                SipText.recordRoutes(invite));
    }

    @Test
    void sameInterfaceGivesOneEntryAndSurvivesReencoding() {
        SIPRequest invite = SipText.request(SipText.INITIAL_INVITE);
        recordRouter.addRecordRoute(invite, udp, RouteParams.EMPTY.with("did", "d"));
        SIPRequest reparsed = SipText.request(invite.encode());
        assertEquals(List.of("sip:203.0.113.5:5060;lr;did=d", "sip:upstream.example.net;lr"),
                SipText.recordRoutes(reparsed));
    }

    @Test
    void requestWithoutRecordRouteGetsOne() {
        SIPRequest invite = SipText.request(SipText.INITIAL_INVITE.replace(
                "Record-Route: <sip:upstream.example.net;lr>\n", ""));
        recordRouter.addRecordRoute(invite, tcp, RouteParams.EMPTY);
        assertEquals(List.of("sip:203.0.113.5:5060;transport=tcp;lr"), SipText.recordRoutes(invite));
    }

    @Test
    void reservedOrUnsafeParamsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RouteParams.EMPTY.with("lr", null));
        assertThrows(IllegalArgumentException.class, () -> RouteParams.EMPTY.with("Transport", "tcp"));
        assertThrows(IllegalArgumentException.class, () -> RouteParams.EMPTY.with("maddr", "x"));
        assertThrows(IllegalArgumentException.class, () -> RouteParams.EMPTY.with("did", "a;b"));
        assertThrows(IllegalArgumentException.class, () -> RouteParams.EMPTY.with("d id", "1"));
    }
}

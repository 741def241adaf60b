package dev.sipedge.recordroute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which top Route values pre-processing treats as ours (we listen on UDP 203.0.113.5:5060 only). */
class LooseRouterRouteMatchingTest {

    private final LooseRouter router =
            new LooseRouter(new LocalIdentity(List.of(new LocalInterface("203.0.113.5", 5060, "udp"))));

    @ParameterizedTest(name = "{0} removed={1}")
    @CsvSource(delimiter = '|', value = {
            "sip:203.0.113.5;lr;did=1                         | true",
            "sip:203.0.113.5:5070;lr;did=1                    | false",  // different port
            "sip:203.0.113.5:5060;transport=tcp;lr;did=1      | false",  // transport mismatch
            "sip:proxy.example.net;maddr=203.0.113.5;lr;did=1 | true",   // maddr names us
            "sip:203.0.113.5;maddr=192.0.2.99;lr;did=1        | false",  // maddr sends it elsewhere
    })
    void topRoute(String route, boolean removed) {
        SIPRequest bye = SipText.bye("sip:bob@198.51.100.7", List.of(route, "sip:next.example.org;lr"));

        RoutePreprocessResult result = router.preprocess(bye);

        assertEquals(removed, result.ourRouteRemoved());
        assertEquals(removed ? "1" : null, result.ourRouteParams().get("did"));
        assertEquals(removed ? 1 : 2, SipText.routes(bye).size());
    }
}

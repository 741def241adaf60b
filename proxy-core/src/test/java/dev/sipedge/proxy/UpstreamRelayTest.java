package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.TransportKind;
import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §16.7 step 3 on a response that came back on a branch: only our own Via is taken off. */
class UpstreamRelayTest {
    private static final String OURS = "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-px-1\r\n";
    private static final String CALLER = "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-1\r\n";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UpstreamRelay relay = new UpstreamRelay(DialogHook.NONE, new ProxyMetrics(registry),
            new LocalInterfaces(List.of(new AbstractMap.SimpleImmutableEntry<>(TransportKind.UDP,
                    new InetSocketAddress("127.0.0.1", 5060))), null));

    @Test
    void ourViaOnTopIsRemovedAndTheResponseGoesOn() {
        SIPResponse response = response(OURS + CALLER);
        assertTrue(relay.popOurVia(response));
        assertEquals(1, response.getViaHeaders().size());
        assertEquals("z9hG4bK-1", response.getTopmostVia().getBranch());
        assertEquals(0.0, dropped());
    }

    @Test
    void aResponseWhoseTopViaIsNotOursIsDroppedAndCounted() {
        SIPResponse response = response(CALLER + OURS);
        assertFalse(relay.popOurVia(response));
        assertEquals(2, response.getViaHeaders().size(), "left as it came");
        assertEquals(1.0, dropped());
    }

    @Test
    void aResponseToARequestWeOriginatedStopsHereWithoutCounting() {
        assertFalse(relay.popOurVia(response(OURS)));
        assertEquals(0.0, dropped());
    }

    private double dropped() {
        return registry.get("sipedge_messages_dropped").counter().count();
    }

    private static SIPResponse response(String vias) {
        String text = "SIP/2.0 200 OK\r\n" + vias + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\n"
                + "Call-ID: u1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        return (SIPResponse) LoopbackPipeline.parse(text.getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
    }
}

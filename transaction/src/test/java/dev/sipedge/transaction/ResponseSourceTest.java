package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listeners learn the flow a response arrived on (the peer's observed address), not only the one the request left on. */
class ResponseSourceTest {
    private final Harness h = new Harness(TransportKind.UDP);

    @Test
    void responseReceivedCarriesTheFlowItArrivedOn() {
        List<Flow> sources = new ArrayList<>();
        List<Integer> twoArgument = new ArrayList<>();
        h.layer.addListener(new TransactionListener() {
            @Override
            public void responseReceived(ClientTransaction tx, SIPResponse response, Flow source) {
                sources.add(source);
            }
        });
        h.layer.addListener(new TransactionListener() {
            @Override
            public void responseReceived(ClientTransaction tx, SIPResponse response) {
                twoArgument.add(response.getStatusCode());
            }
        });
        SIPRequest invite = Sip.request("INVITE").build();
        h.layer.sendRequest(invite, h.flow, new RecordingClientListener());
        Flow observed = new Flow(TransportKind.UDP, h.flow.local(), new InetSocketAddress("127.0.0.9", 5999));

        h.layer.receive(Sip.response(invite, 180, "t"), observed);

        assertEquals(1, sources.size());
        assertSame(observed, sources.get(0));
        assertEquals(List.of(180), twoArgument, "the two-argument method still fires by default");
    }
}

package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class OutboundFlowsTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);
    private final OutboundFlows flows = new OutboundFlows();

    private static Flow to(String host, int port) {
        return new Flow(TransportKind.UDP, LOCAL, new InetSocketAddress(host, port));
    }

    @Test
    void anEqualFlowGetsTheOneSeenFirst() {
        Flow first = flows.shared(to("192.0.2.7", 5060));
        assertSame(first, flows.shared(to("192.0.2.7", 5060)));
        assertNotSame(first, flows.shared(to("192.0.2.7", 5070)), "another port is another hop");
        Flow tcp = new Flow(TransportKind.TCP, LOCAL, new InetSocketAddress("192.0.2.7", 5060));
        assertSame(tcp, flows.shared(tcp), "another transport is another flow");
    }

    @Test
    void boundedByForgettingTheOldestHop() {
        Flow oldest = flows.shared(to("10.0.0.1", 1));
        for (int port = 2; port <= OutboundFlows.CAPACITY + 1; port++) {
            flows.shared(to("10.0.0.1", port));
        }
        assertEquals(OutboundFlows.CAPACITY, flows.size());
        Flow again = to("10.0.0.1", 1);
        assertSame(again, flows.shared(again), "the oldest was forgotten: a fresh copy is remembered");
        assertNotSame(oldest, again);
    }
}

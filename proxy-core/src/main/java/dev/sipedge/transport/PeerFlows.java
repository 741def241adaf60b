package dev.sipedge.transport;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flows of one UDP socket's recent peers, so that every datagram from a peer yields the same
 * {@link Flow} and address objects. A transaction and a dialog keep the flow of what they
 * received for their lifetime; without this each kept its own copy of the peer's address
 * (about 120 bytes per dialog leg, ~10 % of a confirmed dialog when calls come through a few
 * peers, as they do behind an SBC or from a load generator). Bounded: the oldest peer is
 * forgotten first, which only costs a fresh copy the next time it sends. Confined to the
 * socket's event loop.
 */
final class PeerFlows {
    static final int CAPACITY = 1024;

    private final InetSocketAddress local;
    private final Map<InetSocketAddress, Flow> flows = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Flow> eldest) {
            return size() > CAPACITY;
        }
    };

    PeerFlows(InetSocketAddress local) {
        this.local = local;
    }

    /** The flow from {@code sender} to this socket: the one handed out before when the peer is known. */
    Flow from(InetSocketAddress sender) {
        Flow flow = flows.get(sender);
        if (flow == null) {
            flow = new Flow(TransportKind.UDP, local, sender);
            flows.put(sender, flow);
        }
        return flow;
    }

    int size() {
        return flows.size();
    }
}

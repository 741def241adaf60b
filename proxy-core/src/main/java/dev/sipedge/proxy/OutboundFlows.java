package dev.sipedge.proxy;

import dev.sipedge.transaction.Flow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link Flow} per recent next hop of a shard, so that the branches sent to one hop share it
 * and its address objects. A resolved target is a fresh address per request, and an INVITE's
 * client transaction keeps its flow while it lingers in Accepted (64*T1): about 110 bytes per
 * call when calls go to a few next hops, as behind a registrar or toward a trunk. Bounded: the
 * oldest hop is forgotten first, which only costs a fresh copy the next time. Confined to the
 * shard.
 */
final class OutboundFlows {
    static final int CAPACITY = 1024;

    private final Map<Flow, Flow> flows = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Flow, Flow> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The flow equal to {@code flow} handed out before, or {@code flow} itself, remembered from now on. */
    Flow shared(Flow flow) {
        Flow known = flows.putIfAbsent(flow, flow);
        return known == null ? flow : known;
    }

    int size() {
        return flows.size();
    }
}

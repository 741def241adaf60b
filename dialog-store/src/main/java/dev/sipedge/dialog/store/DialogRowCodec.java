package dev.sipedge.dialog.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sipedge.dialog.DialogRecord.ProfileSlot;
import dev.sipedge.dialog.DialogStoreException;
import dev.sipedge.dialog.LegRecord;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON text of the columns that hold more than a scalar (legs, values, flags, profile slots).
 * Written field by field rather than by reflection, so that renaming a Java field never changes
 * what is on disk; the field names are the schema.
 */
final class DialogRowCodec {
    private final ObjectMapper json = new ObjectMapper();

    String leg(LegRecord leg) {
        ObjectNode n = json.createObjectNode();
        n.put("tag", leg.tag());
        n.put("uri", leg.uri());
        n.put("contact", leg.contact());
        ArrayNode routes = n.putArray("route-set");
        leg.routeSet().forEach(routes::add);
        ObjectNode flow = n.putObject("flow");
        flow.put("transport", leg.flow().transport().name());
        flow.put("local", address(leg.flow().local()));
        flow.put("remote", address(leg.flow().remote()));
        n.put("cseq-from", leg.cseqFrom());
        n.put("cseq-to", leg.cseqTo());
        n.put("cseq-shift", leg.cseqShift());
        n.put("last-invite-cseq", leg.lastInviteCseq());
        n.put("last-invite-shift", leg.lastInviteShift());
        n.put("last-sdp", leg.lastSdp());
        n.put("ping-failures", leg.pingFailures());
        return write(n);
    }

    LegRecord leg(String text) {
        JsonNode n = read(text);
        List<String> routes = new ArrayList<>();
        n.path("route-set").forEach(r -> routes.add(r.asText()));
        JsonNode f = n.path("flow");
        Flow flow = new Flow(TransportKind.valueOf(f.path("transport").asText()), address(f.path("local")),
                address(f.path("remote")));
        return new LegRecord(n.path("tag").asText(), n.path("uri").asText(), textOrNull(n.path("contact")), routes,
                flow, n.path("cseq-from").asLong(), n.path("cseq-to").asLong(), n.path("cseq-shift").asLong(),
                n.path("last-invite-cseq").asLong(), n.path("last-invite-shift").asLong(),
                textOrNull(n.path("last-sdp")), n.path("ping-failures").asInt());
    }

    String values(Map<String, String> values) {
        ObjectNode n = json.createObjectNode();
        new TreeMap<>(values).forEach(n::put);
        return write(n);
    }

    Map<String, String> values(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = read(text).fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            values.put(e.getKey(), e.getValue().asText());
        }
        return values;
    }

    String flags(Set<String> flags) {
        ArrayNode n = json.createArrayNode();
        new TreeSet<>(flags).forEach(n::add);
        return write(n);
    }

    Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        read(text).forEach(f -> flags.add(f.asText()));
        return flags;
    }

    String profiles(List<ProfileSlot> slots) {
        ArrayNode n = json.createArrayNode();
        for (ProfileSlot slot : slots) {
            ObjectNode s = n.addObject();
            s.put("profile", slot.profile());
            s.put("value", slot.value());
        }
        return write(n);
    }

    List<ProfileSlot> profiles(String text) {
        List<ProfileSlot> slots = new ArrayList<>();
        read(text).forEach(s -> slots.add(new ProfileSlot(s.path("profile").asText(), textOrNull(s.path("value")))));
        return slots;
    }

    /** "host:port", with IPv6 literals in brackets; null for no address. */
    private static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static InetSocketAddress address(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        String text = n.asText();
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        // Stored addresses are literals (observed sources, bound sockets): no name lookup happens here.
        return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
    }

    private static String textOrNull(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private String write(JsonNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new DialogStoreException("cannot encode a dialog column", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DialogStoreException("a stored dialog column is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}

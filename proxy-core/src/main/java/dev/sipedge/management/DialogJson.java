package dev.sipedge.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.DialogState;
import dev.sipedge.transaction.Flow;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one rendering of a dialog as JSON (DESIGN.md "Management API"), used by every resource that
 * shows dialogs, so a dialog looks the same everywhere. Keys are kebab-case; a leg that does not
 * exist yet, a missing Contact or flow are {@code null}; {@code end-cause} appears once ended.
 */
final class DialogJson {
    private DialogJson() {
    }

    /** The API's name of a state (the dialog module's CONFIRMED_NA is "answered"). */
    static String stateName(DialogState state) {
        return state == DialogState.CONFIRMED_NA ? "answered" : state.name().toLowerCase(Locale.ROOT);
    }

    /** The state an API name stands for. */
    static Optional<DialogState> parseState(String name) {
        for (DialogState s : DialogState.values()) {
            if (stateName(s).equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    static ObjectNode render(DialogSnapshot d) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("call-id", d.callId());
        o.put("state", stateName(d.state()));
        o.put("state-code", d.stateCode());
        o.set("caller", leg(d.caller()));
        o.set("callee", d.callee().map(DialogJson::leg).orElse(null));
        o.put("start-time", d.startTime().toString());
        o.put("timeout", seconds(d.timeLeft()));
        ArrayNode profiles = o.putArray("profiles");
        for (DialogSnapshot.ProfileEntry p : d.profiles()) {
            ObjectNode entry = profiles.addObject();
            entry.put("name", p.name());
            entry.put("value", p.value().orElse(null));
        }
        ObjectNode values = o.putObject("values");
        d.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put(e.getKey(), e.getValue()));
        ArrayNode flags = o.putArray("flags");
        d.flags().forEach(flags::add);
        ObjectNode pings = o.putObject("pings");
        pings.set("caller", ping(d.caller().ping()));
        pings.set("callee", d.callee().map(l -> ping(l.ping())).orElse(null));
        d.endCause().ifPresent(c -> o.put("end-cause", c.name().toLowerCase(Locale.ROOT)));
        return o;
    }

    static ObjectNode list(List<DialogSnapshot> page, int count) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("count", count);
        ArrayNode dialogs = o.putArray("dialogs");
        page.forEach(d -> dialogs.add(render(d)));
        return o;
    }

    /** Whole seconds, rounded up: a dialog with 0.3 s left still has a lifetime. */
    private static long seconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }

    private static ObjectNode leg(DialogSnapshot.LegSnapshot leg) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("uri", leg.uri());
        o.put("tag", leg.tag());
        o.put("contact", leg.contact().orElse(null));
        o.put("cseq", leg.cseq());
        ArrayNode routes = o.putArray("route-set");
        leg.routeSet().forEach(routes::add);
        o.set("flow", leg.flow().map(DialogJson::flow).orElse(null));
        return o;
    }

    private static ObjectNode flow(Flow f) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("transport", f.transport().name().toLowerCase(Locale.ROOT));
        o.put("local", f.local() == null ? null : address(f.local()));
        o.put("remote", address(f.remote()));
        return o;
    }

    private static String address(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static ObjectNode ping(DialogSnapshot.Ping p) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
        o.put("failures", p.failures());
        return o;
    }
}

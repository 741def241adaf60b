package dev.sipedge.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One dialog object of the API as {@code key: value} lines for {@code dialogs show}. */
final class DialogText {
    private DialogText() {
    }

    static void print(JsonNode d, PrintStream out) {
        line(out, "id", d.path("id").asText());
        line(out, "call-id", d.path("call-id").asText());
        line(out, "state", d.path("state").asText() + " (" + d.path("state-code").asInt() + ")");
        leg(out, "caller", d.path("caller"));
        leg(out, "callee", d.path("callee"));
        line(out, "start-time", d.path("start-time").asText());
        line(out, "timeout", d.path("timeout").asLong() + "s");
        List<String> profiles = new ArrayList<>();
        for (JsonNode p : d.path("profiles")) {
            profiles.add(p.path("name").asText() + (p.path("value").isNull() ? "" : "=" + p.path("value").asText()));
        }
        line(out, "profiles", profiles.isEmpty() ? "-" : String.join(", ", profiles));
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) d.path("values")::fields) {
            values.add(e.getKey() + "=" + e.getValue().asText());
        }
        line(out, "values", values.isEmpty() ? "-" : String.join(", ", values));
        line(out, "flags", SipedgeCtl.join(d.path("flags")));
        List<String> pings = new ArrayList<>();
        for (String side : List.of("caller", "callee")) {
            JsonNode p = d.path("pings").path(side);
            if (p.isObject()) {
                pings.add(side + " " + p.path("kind").asText() + " (" + p.path("failures").asInt() + " failed)");
            }
        }
        line(out, "pings", pings.isEmpty() ? "-" : String.join(", ", pings));
        if (d.has("end-cause")) {
            line(out, "end-cause", d.path("end-cause").asText());
        }
    }

    private static void leg(PrintStream out, String name, JsonNode leg) {
        if (!leg.isObject()) {
            line(out, name, "-");
            return;
        }
        line(out, name, leg.path("uri").asText() + " tag=" + leg.path("tag").asText());
        line(out, "  contact", leg.path("contact").isNull() ? "-" : leg.path("contact").asText());
        line(out, "  cseq", leg.path("cseq").asText());
        line(out, "  route-set", SipedgeCtl.join(leg.path("route-set")));
        JsonNode flow = leg.path("flow");
        line(out, "  flow", flow.isObject() ? flow.path("transport").asText() + " " + flow.path("local").asText()
                + " <-> " + flow.path("remote").asText() : "-");
    }

    private static void line(PrintStream out, String key, String value) {
        out.printf("%-12s %s%n", key + ":", value);
    }
}

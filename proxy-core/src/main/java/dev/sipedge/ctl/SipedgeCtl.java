package dev.sipedge.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sipedgectl}: the operator's command line for the management API, in the spirit of
 * {@code kamcmd} and {@code opensips-cli}. Human-readable tables by default, the API's JSON with
 * {@code --json}. Exit status 0 on success, 1 when the API refuses or cannot be reached (or
 * {@code health} says draining), 2 for a wrong command line.
 */
public final class SipedgeCtl {
    static final int OK = 0;
    static final int API_ERROR = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: sipedgectl [--config FILE | --url URL] [--token TOKEN] [--json] COMMAND
              dialogs list [--callid CALLID] [--state STATE]   list calls (state: early, confirmed, ...)
              dialogs show ID                                  one call (ID: dialog id or Call-ID)
              dialogs end ID [--reason TEXT]                   end a call (BYE both legs, or CANCEL)
              profiles list                                    profiles and their sizes
              profiles size NAME [VALUE]                       calls in a profile (per value)
              profiles end NAME [VALUE]                        end every call of a profile (value)
              reload                                           re-read the configuration file
              health                                           up, or draining during a graceful stop
            The API's address and token come from --url/--token, else from sipedge.management
            in the config file (default conf/sipedge.conf).""";

    private final PrintStream out;
    private final PrintStream err;

    SipedgeCtl(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new SipedgeCtl(System.out, System.err).run(args));
    }

    int run(String[] args) {
        CtlOptions o;
        Command command;
        CtlClient client;
        try {
            o = CtlOptions.parse(args);
            if (o.option("help").isPresent()) {
                out.println(USAGE_TEXT);
                return OK;
            }
            command = command(o);
            client = new CtlClient(CtlEndpoint.resolve(o));
        } catch (CtlOptions.UsageException e) {
            err.println("sipedgectl: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        CtlClient.Answer answer;
        try {
            answer = client.call(command.method(), command.path());
        } catch (IOException e) {
            Throwable t = e;
            while (t.getMessage() == null && t.getCause() != null) {
                t = t.getCause();     // HttpClient's ConnectException says nothing, its cause does
            }
            String why = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            err.println("sipedgectl: cannot reach the management API at " + client.base() + ": " + why);
            return API_ERROR;
        }
        if (o.json()) {
            out.println(answer.body().strip());
        } else if (answer.json() == null) {
            err.println("sipedgectl: HTTP " + answer.status() + ": " + answer.error());
            return API_ERROR;
        } else if (!answer.ok() && !answer.json().has("status")) {
            err.println("sipedgectl: " + answer.error() + " (HTTP " + answer.status() + ")");
        } else {
            command.printer().print(answer.json(), out);
        }
        return answer.ok() ? OK : API_ERROR;
    }

    /** A request to make and how to show its answer. */
    private record Command(String method, String path, Printer printer) {
    }

    private interface Printer {
        void print(JsonNode json, PrintStream out);
    }

    private static Command command(CtlOptions o) {
        List<String> w = o.words();
        String first = w.isEmpty() ? "" : w.get(0);
        String second = w.size() < 2 ? "" : w.get(1);
        switch (first + " " + second) {
            case "dialogs list" -> {
                words(o, 2, 2);
                o.allowOnly("callid", "state");
                List<String> query = new ArrayList<>();
                o.option("callid").ifPresent(c -> query.add("callid=" + CtlClient.encode(c)));
                o.option("state").ifPresent(s -> query.add("state=" + CtlClient.encode(s)));
                return new Command("GET", "/dialogs" + (query.isEmpty() ? "" : "?" + String.join("&", query)),
                        SipedgeCtl::printDialogs);
            }
            case "dialogs show" -> {
                words(o, 3, 3);
                o.allowOnly();
                return new Command("GET", "/dialogs/" + CtlClient.encode(w.get(2)), DialogText::print);
            }
            case "dialogs end" -> {
                words(o, 3, 3);
                o.allowOnly("reason");
                String query = o.option("reason").map(r -> "?reason=" + CtlClient.encode(r)).orElse("");
                return new Command("DELETE", "/dialogs/" + CtlClient.encode(w.get(2)) + query, SipedgeCtl::printEnding);
            }
            case "profiles list" -> {
                words(o, 2, 2);
                o.allowOnly();
                return new Command("GET", "/profiles", SipedgeCtl::printProfiles);
            }
            case "profiles size" -> {
                words(o, 3, 4);
                o.allowOnly();
                return new Command("GET", "/profiles/" + CtlClient.encode(w.get(2)) + valueQuery(w),
                        SipedgeCtl::printProfile);
            }
            case "profiles end" -> {
                words(o, 3, 4);
                o.allowOnly();
                return new Command("DELETE", "/profiles/" + CtlClient.encode(w.get(2)) + "/dialogs" + valueQuery(w),
                        SipedgeCtl::printEnding);
            }
            default -> {
                if (first.equals("reload")) {
                    words(o, 1, 1);
                    o.allowOnly();
                    return new Command("POST", "/reload", SipedgeCtl::printReload);
                }
                if (first.equals("health")) {
                    words(o, 1, 1);
                    o.allowOnly();
                    return new Command("GET", "/health", (json, out) -> out.println(json.path("status").asText()));
                }
                throw new CtlOptions.UsageException(w.isEmpty() ? "no command" : "unknown command '" + String.join(" ", w) + "'");
            }
        }
    }

    private static void words(CtlOptions o, int min, int max) {
        int n = o.words().size();
        if (n < min || n > max) {
            throw new CtlOptions.UsageException("wrong number of arguments for '"
                    + String.join(" ", o.words().subList(0, Math.min(n, 2))) + "'");
        }
    }

    private static String valueQuery(List<String> w) {
        return w.size() == 4 ? "?value=" + CtlClient.encode(w.get(3)) : "";
    }

    private static void printDialogs(JsonNode json, PrintStream out) {
        Table t = new Table("ID", "CALL-ID", "STATE", "CALLER", "CALLEE", "START", "TIMEOUT");
        for (JsonNode d : json.path("dialogs")) {
            t.row(d.path("id").asText(), d.path("call-id").asText(), d.path("state").asText(),
                    d.path("caller").path("uri").asText(null),
                    d.path("callee").isObject() ? d.path("callee").path("uri").asText() : null,
                    d.path("start-time").asText(), d.path("timeout").asLong() + "s");
        }
        t.print(out);
        int shown = json.path("dialogs").size();
        int count = json.path("count").asInt();
        out.println(count + " dialog" + (count == 1 ? "" : "s") + (shown < count ? " (" + shown + " shown)" : ""));
    }

    private static void printEnding(JsonNode json, PrintStream out) {
        int n = json.path("ending").asInt();
        out.println("ending " + n + " dialog" + (n == 1 ? "" : "s"));
    }

    private static void printProfiles(JsonNode json, PrintStream out) {
        Table t = new Table("NAME", "WITH-VALUE", "SIZE");
        for (JsonNode p : json.path("profiles")) {
            t.row(p.path("name").asText(), p.path("with-value").asBoolean() ? "yes" : "no", p.path("size").asInt());
        }
        t.print(out);
    }

    private static void printProfile(JsonNode json, PrintStream out) {
        out.println(json.path("name").asText() + ": " + json.path("size").asInt());
        if (!json.path("values").isEmpty()) {
            Table t = new Table("VALUE", "SIZE");
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) json.path("values")::fields) {
                t.row(e.getKey(), e.getValue().asInt());
            }
            t.print(out);
        }
    }

    private static void printReload(JsonNode json, PrintStream out) {
        out.println("reloaded");
        out.println("changed: " + join(json.path("changed")));
        out.println("need restart: " + join(json.path("need-restart")));
    }

    static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return items.isEmpty() ? "-" : String.join(", ", items);
    }
}

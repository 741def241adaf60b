package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

/**
 * A profile value written in a route, such as {@code "${from.user}"} or {@code "trunk-${ruri.host}"}:
 * literal text and variables taken from the initial INVITE. Parsed once at start-up, so a typo
 * fails the configuration instead of every call.
 *
 * <table>
 * <caption>Variables</caption>
 * <tr><td>{@code from.user}, {@code from.host}, {@code from.uri}</td><td>the From URI</td></tr>
 * <tr><td>{@code to.user}, {@code to.host}, {@code to.uri}</td><td>the To URI</td></tr>
 * <tr><td>{@code ruri.user}, {@code ruri.host}, {@code ruri}</td><td>the Request-URI</td></tr>
 * <tr><td>{@code callid}</td><td>the Call-ID</td></tr>
 * </table>
 * A variable that has no value in a request (a tel: URI has no host) yields the empty string.
 */
public final class ValueTemplate {
    private final String text;
    private final List<Function<SIPRequest, String>> parts;

    private ValueTemplate(String text, List<Function<SIPRequest, String>> parts) {
        this.text = text;
        this.parts = parts;
    }

    public static ValueTemplate parse(String text) {
        List<Function<SIPRequest, String>> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                String literal = text.substring(i);
                parts.add(r -> literal);
                break;
            }
            if (start > i) {
                String literal = text.substring(i, start);
                parts.add(r -> literal);
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed ${ in profile value: " + text);
            }
            parts.add(variable(text.substring(start + 2, end).trim(), text));
            i = end + 1;
        }
        return new ValueTemplate(text, List.copyOf(parts));
    }

    public String evaluate(SIPRequest request) {
        if (parts.size() == 1) {
            return parts.get(0).apply(request);
        }
        StringBuilder sb = new StringBuilder();
        for (Function<SIPRequest, String> part : parts) {
            sb.append(part.apply(request));
        }
        return sb.toString();
    }

    private static Function<SIPRequest, String> variable(String name, String text) {
        return switch (name) {
            case "from.user" -> r -> user(r.getFrom().getAddress().getURI());
            case "from.host" -> r -> host(r.getFrom().getAddress().getURI());
            case "from.uri" -> r -> r.getFrom().getAddress().getURI().toString();
            case "to.user" -> r -> user(r.getTo().getAddress().getURI());
            case "to.host" -> r -> host(r.getTo().getAddress().getURI());
            case "to.uri" -> r -> r.getTo().getAddress().getURI().toString();
            case "ruri.user" -> r -> user(r.getRequestURI());
            case "ruri.host" -> r -> host(r.getRequestURI());
            case "ruri" -> r -> r.getRequestURI().toString();
            case "callid" -> r -> r.getCallId().getCallId();
            default -> throw new IllegalArgumentException("unknown variable ${" + name + "} in profile value: " + text);
        };
    }

    private static String user(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() != null ? sip.getUser() : "";
    }

    private static String host(URI uri) {
        return uri instanceof SipURI sip && sip.getHost() != null ? sip.getHost() : "";
    }

    @Override
    public String toString() {
        return text;
    }
}

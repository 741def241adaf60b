package dev.sipedge.dialog;

import dev.sipedge.transaction.Flow;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.Header;

/**
 * A profile value written in a route, such as {@code "${from.user}"} or {@code "trunk-${ruri.host}"}:
 * literal text and variables taken from the initial INVITE and the flow it came on. Parsed once at
 * start-up, so a typo fails the configuration instead of every call.
 *
 * <table>
 * <caption>Variables</caption>
 * <tr><td>{@code from.user}, {@code from.host}, {@code from.uri}</td><td>the From URI</td></tr>
 * <tr><td>{@code to.user}, {@code to.host}, {@code to.uri}</td><td>the To URI</td></tr>
 * <tr><td>{@code ruri.user}, {@code ruri.host}, {@code ruri}</td><td>the Request-URI</td></tr>
 * <tr><td>{@code callid}</td><td>the Call-ID</td></tr>
 * <tr><td>{@code source.ip}, {@code source.port}</td><td>where the INVITE came from (the packet's
 *     source, not its Via): the trunk or the NAT in front of the caller</td></tr>
 * <tr><td>{@code header.NAME}</td><td>the value of the first {@code NAME} header (name matched
 *     case-insensitively), trimmed</td></tr>
 * </table>
 * A variable that has no value in a request (a tel: URI has no host) yields the empty string. An
 * absent header yields no value at all ({@link #evaluate} is empty) and the dialog is not put into
 * that profile, as Kamailio's {@code set_dlg_profile} fails on a null {@code $hdr(...)}: a cap per
 * header value does not lump every call without the header into one shared value.
 */
public final class ValueTemplate {
    /** One piece of the template; null when the request lacks it (an absent header). */
    private interface Part {
        String apply(SIPRequest request, Flow source);
    }

    private final String text;
    private final List<Part> parts;

    private ValueTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    public static ValueTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                String literal = text.substring(i);
                parts.add((r, f) -> literal);
                break;
            }
            if (start > i) {
                String literal = text.substring(i, start);
                parts.add((r, f) -> literal);
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

    /**
     * The value for an initial INVITE received on {@code source}; empty when a header the template
     * names is absent.
     */
    public Optional<String> evaluate(SIPRequest request, Flow source) {
        if (parts.size() == 1) {
            return Optional.ofNullable(parts.get(0).apply(request, source));
        }
        StringBuilder sb = new StringBuilder();
        for (Part part : parts) {
            String piece = part.apply(request, source);
            if (piece == null) {
                return Optional.empty();
            }
            sb.append(piece);
        }
        return Optional.of(sb.toString());
    }

    private static Part variable(String name, String text) {
        if (name.regionMatches(true, 0, "header.", 0, 7)) {
            String header = name.substring(7);
            if (!isToken(header)) {
                throw new IllegalArgumentException("bad header name in ${" + name + "} in profile value: " + text);
            }
            return (r, f) -> firstValue(r, header);
        }
        return switch (name) {
            case "from.user" -> (r, f) -> user(r.getFrom().getAddress().getURI());
            case "from.host" -> (r, f) -> host(r.getFrom().getAddress().getURI());
            case "from.uri" -> (r, f) -> r.getFrom().getAddress().getURI().toString();
            case "to.user" -> (r, f) -> user(r.getTo().getAddress().getURI());
            case "to.host" -> (r, f) -> host(r.getTo().getAddress().getURI());
            case "to.uri" -> (r, f) -> r.getTo().getAddress().getURI().toString();
            case "ruri.user" -> (r, f) -> user(r.getRequestURI());
            case "ruri.host" -> (r, f) -> host(r.getRequestURI());
            case "ruri" -> (r, f) -> r.getRequestURI().toString();
            case "callid" -> (r, f) -> r.getCallId().getCallId();
            case "source.ip" -> (r, f) -> ip(f.remote());
            case "source.port" -> (r, f) -> Integer.toString(f.remote().getPort());
            default -> throw new IllegalArgumentException("unknown variable ${" + name + "} in profile value: " + text);
        };
    }

    /** The first header of that name, trimmed; null when there is none. JAIN-SIP matches names case-insensitively. */
    private static String firstValue(SIPRequest request, String name) {
        Header h = request.getHeader(name);
        if (h == null) {
            return null;
        }
        String value = h instanceof SIPHeader sip ? sip.getHeaderValue() : h.toString();
        return value == null ? "" : value.trim();
    }

    private static String ip(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    private static String user(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() != null ? sip.getUser() : "";
    }

    private static String host(URI uri) {
        return uri instanceof SipURI sip && sip.getHost() != null ? sip.getHost() : "";
    }

    /** RFC 3261 §25.1 token characters: what a header name may be made of. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && "-.!%*_+`'~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.sipedge.proxy.routing;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code match} block of a route: every present condition must hold. Regexes are matched
 * with {@link java.util.regex.Matcher#find()} against the header value without its name, so
 * {@code "@example\\.com"} works unanchored and {@code "^sip:"} anchors when wanted.
 *
 * @param methods  request methods (upper case); empty matches any method
 * @param requestUri regex on the Request-URI, or null
 * @param from     regex on the From header value, or null
 * @param to       regex on the To header value, or null
 * @param headers  header name (case-insensitive) to regex; a header matches if any of its values does
 */
public record RouteMatch(Set<String> methods, Pattern requestUri, Pattern from, Pattern to,
                         Map<String, Pattern> headers) {

    public static final RouteMatch ANY = new RouteMatch(Set.of(), null, null, null, Map.of());

    public RouteMatch {
        methods = Set.copyOf(methods);
        headers = Map.copyOf(headers);
    }

    public boolean matches(SIPRequest request) {
        if (!methods.isEmpty() && !methods.contains(request.getMethod())) {
            return false;
        }
        if (requestUri != null && !requestUri.matcher(request.getRequestURI().toString()).find()) {
            return false;
        }
        if (from != null && !matchesHeader(request, "From", from)) {
            return false;
        }
        if (to != null && !matchesHeader(request, "To", to)) {
            return false;
        }
        for (Map.Entry<String, Pattern> e : headers.entrySet()) {
            if (!matchesHeader(request, e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesHeader(SIPRequest request, String name, Pattern pattern) {
        ListIterator<?> it = request.getHeaders(name);
        while (it.hasNext()) {
            Object h = it.next();
            String value = h instanceof SIPHeader sh ? sh.getHeaderValue() : String.valueOf(h);
            if (value != null && pattern.matcher(value.trim()).find()) {
                return true;
            }
        }
        return false;
    }
}

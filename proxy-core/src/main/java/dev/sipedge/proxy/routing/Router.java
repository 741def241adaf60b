package dev.sipedge.proxy.routing;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;

/** Picks the first {@link RouteRule} whose match fits a request (first match wins). */
public final class Router {
    private final List<RouteRule> rules;

    public Router(List<RouteRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The first matching rule, or null: the caller then routes on the Request-URI (RFC 3263). */
    public RouteRule route(SIPRequest request) {
        for (RouteRule rule : rules) {
            if (rule.match().matches(request)) {
                return rule;
            }
        }
        return null;
    }

    public List<RouteRule> rules() {
        return rules;
    }
}

package dev.sipedge.proxy.routing;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import java.util.Optional;

/** Picks the first {@link RouteRule} whose match fits a request (first match wins). */
public final class Router {
    private final List<RouteRule> rules;

    public Router(List<RouteRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The first matching rule; none: the caller routes on the Request-URI (RFC 3263). */
    public Optional<RouteRule> route(SIPRequest request) {
        for (RouteRule rule : rules) {
            if (rule.match().matches(request)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    public List<RouteRule> rules() {
        return rules;
    }
}

package dev.sipedge.proxy.routing;

import dev.sipedge.dialog.DialogModule;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sip.address.URI;

/**
 * The routing rules in force, as one immutable value: the rules (matches and dialog options) and
 * their parsed next-hop URIs. A reload builds a whole new table and {@link Routes} swaps it in,
 * so a request never sees the rules of one file and the next hops of another.
 *
 * @param nextHops the parsed next-hop URIs of each route, indexed like {@code router.rules()}
 */
public record RouteTable(Router router, List<List<URI>> nextHops) {

    public RouteTable {
        Objects.requireNonNull(router, "router");
        nextHops = List.copyOf(nextHops);
        if (nextHops.size() != router.rules().size()) {
            throw new IllegalArgumentException("next hops for " + nextHops.size() + " routes, rules for "
                    + router.rules().size());
        }
    }

    /**
     * Parses the next hops of {@code rules} and checks each route's dialog options against the
     * profiles {@code dialogs} declares: the checks a start and a reload both run.
     *
     * @throws IllegalArgumentException naming the route, for a bad next-hop URI or profile
     */
    public static RouteTable build(List<RouteRule> rules, DialogModule dialogs) {
        StringMsgParser parser = new StringMsgParser();
        List<List<URI>> all = new ArrayList<>();
        for (RouteRule rule : rules) {
            dialogs.checkOptions(rule.dialog(), "sipedge.routes[" + rule.index() + "].dialog");
            List<URI> uris = new ArrayList<>();
            for (String hop : rule.nextHops()) {
                try {
                    uris.add(parser.parseUrl(hop));
                } catch (ParseException e) {
                    throw new IllegalArgumentException("sipedge.routes[" + rule.index() + "].next-hop: bad URI '"
                            + hop + "'", e);
                }
            }
            all.add(List.copyOf(uris));
        }
        return new RouteTable(new Router(rules), all);
    }

    /** The next hops of {@code rule}, a rule of this table. */
    public List<URI> nextHopsOf(RouteRule rule) {
        return nextHops.get(rule.index());
    }
}

package dev.sipedge.proxy.routing;

import dev.sipedge.dialog.DialogOptions;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code sipedge.routes}: when {@link #match()} fits an initial request, it goes to
 * every URI of {@link #nextHops()} (more than one means parallel forking, RFC 3261 §16.6).
 * A next hop is where the request is sent; the Request-URI is left as it is (an outbound proxy,
 * like Kamailio's {@code $du}). {@link #dialog()} says whether initial INVITEs it matches get a
 * dialog, and with which lifetime and profiles.
 */
public record RouteRule(int index, RouteMatch match, List<String> nextHops, DialogOptions dialog) {
    public RouteRule {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(dialog, "dialog");
        nextHops = List.copyOf(nextHops);
        if (nextHops.isEmpty()) {
            throw new IllegalArgumentException("route " + index + ": next-hop is empty");
        }
    }

    /** A rule whose calls get no dialog. */
    public RouteRule(int index, RouteMatch match, List<String> nextHops) {
        this(index, match, nextHops, DialogOptions.NONE);
    }
}

package dev.sipedge.recordroute;

import java.util.Objects;

/**
 * What {@link LooseRouter#preprocess} found and did.
 *
 * @param strictRouterFixed the Request-URI was one of our Record-Route values (the previous hop
 *                          is a strict router) and was replaced with the last Route value
 * @param ourRouteRemoved   one or two (double Record-Route) of our entries were removed from the
 *                          top of the Route header
 * @param ourRouteParams    parameters of our entry, {@link RouteParams#EMPTY} when none was found
 */
public record RoutePreprocessResult(boolean strictRouterFixed, boolean ourRouteRemoved,
                                    RouteParams ourRouteParams) {

    /** Nothing of ours in the request. */
    public static final RoutePreprocessResult NOTHING_OURS =
            new RoutePreprocessResult(false, false, RouteParams.EMPTY);

    public RoutePreprocessResult {
        Objects.requireNonNull(ourRouteParams, "ourRouteParams");
    }

    /** True when the request carried an entry of ours (the request is routed by us, e.g. in-dialog). */
    public boolean foundOurs() {
        return strictRouterFixed || ourRouteRemoved;
    }
}

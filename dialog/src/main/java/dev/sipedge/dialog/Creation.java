package dev.sipedge.dialog;

import dev.sipedge.recordroute.RouteParams;

/** What {@link DialogTracker#create} decided about an initial INVITE: track and relay it, or refuse it. */
public sealed interface Creation permits Creation.Tracked, Refusal {

    /**
     * Relay the INVITE with {@code recordRouteParams} in every branch's Record-Route (the did
     * cookie). {@code spiral}: it came back through us and joined the live dialog it belongs to.
     */
    record Tracked(Dialog dialog, RouteParams recordRouteParams, boolean spiral) implements Creation {
    }
}

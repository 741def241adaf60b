package dev.sipedge.recordroute;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §16.4 route information pre-processing, with the double Record-Route of RFC 5658.
 *
 * <ol>
 *   <li><b>Strict-router fix-up.</b> If the Request-URI is a value we placed into a
 *       Record-Route, the previous hop routed strictly (RFC 2543): the Request-URI is replaced
 *       with the last Route value and that value is removed. "A value we placed" is recognised
 *       as: a SIP URI that {@link LocalIdentity#isOurs is ours} and carries {@code ;lr} (all our
 *       Record-Route values carry it and a strict router copies the route URI verbatim,
 *       §12.2.1.1); and the request has a Route header to take the replacement from. A request
 *       merely addressed to us (an {@code OPTIONS sip:proxy} liveness check) has no {@code lr}
 *       and is left alone.</li>
 *   <li><b>Loose routing.</b> If the top Route value is ours it is removed; if the next one is
 *       ours as well (the other half of a double Record-Route, RFC 5658 §3) it is removed too.
 *       This also runs after a strict-router fix-up, because with a double Record-Route the
 *       strict router put one of our entries in the Request-URI and the other on top of Route.</li>
 * </ol>
 *
 * <p>The parameters reported (and passed to every {@link RouteListener}) are those of the first
 * entry of ours that carries any: the Request-URI in the strict case, else the removed Route
 * values in order. Foreign entries are never read. Listeners run only when an entry of ours was
 * found.
 *
 * <p>Not thread-confined: one instance serves all shards; listeners are registered at wiring time.
 */
public final class LooseRouter {

    private static final Logger log = LoggerFactory.getLogger(LooseRouter.class);

    private final LocalIdentity identity;
    private final List<RouteListener> listeners = new CopyOnWriteArrayList<>();

    public LooseRouter(LocalIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** Registers a listener called whenever a request carries an entry of ours. */
    public void addListener(RouteListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The identity used to recognise our entries. */
    public LocalIdentity identity() {
        return identity;
    }

    /**
     * Rewrites {@code request} in place as §16.4 requires (class comment) and reports what it
     * found. Never throws for protocol reasons: a request without Route is returned unchanged.
     */
    public RoutePreprocessResult preprocess(SIPRequest request) {
        RouteParams params = RouteParams.EMPTY;
        boolean strictFixed = false;

        URI requestUri = request.getRequestURI();
        RouteList routes = request.getRouteHeaders();
        if (requestUri instanceof SipUri sipUri && sipUri.hasLrParam() && identity.isOurs(sipUri)
                && routes != null && !routes.isEmpty()) {
            Route last = (Route) routes.getLast();
            params = RouteParams.fromUri(sipUri);
            request.setRequestURI(last.getAddress().getURI());
            request.removeLast(RouteHeader.NAME);
            strictFixed = true;
        }

        boolean removed = false;
        // At most two: one entry of ours, plus its double Record-Route twin (RFC 5658).
        for (int i = 0; i < 2; i++) {
            routes = request.getRouteHeaders();
            if (routes == null || routes.isEmpty()) {
                break;
            }
            URI top = ((Route) routes.getFirst()).getAddress().getURI();
            if (!identity.isOurs(top)) {
                break;
            }
            if (params.isEmpty()) {
                params = RouteParams.fromUri((SipUri) top);
            }
            request.removeFirst(RouteHeader.NAME);
            removed = true;
        }

        if (!strictFixed && !removed) {
            return RoutePreprocessResult.NOTHING_OURS;
        }
        notifyListeners(request, params);
        return new RoutePreprocessResult(strictFixed, removed, params);
    }

    private void notifyListeners(SIPRequest request, RouteParams params) {
        for (RouteListener listener : listeners) {
            try {
                listener.onOurRoute(request, params);
            } catch (RuntimeException e) {
                // One faulty listener must not stop routing nor starve the others.
                log.warn("route listener {} failed for Call-ID {}", listener,
                        request.getCallId() == null ? null : request.getCallId().getCallId(), e);
            }
        }
    }
}

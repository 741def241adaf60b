package dev.sipedge.recordroute;

import gov.nist.javax.sip.message.SIPRequest;

/**
 * Told when §16.4 pre-processing found our own entry (a Route value, or a Request-URI written by
 * a strict router) in a request: the dialog module registers here to read its {@code did}
 * cookie, as Kamailio's dialog module does with {@code rr_register_cb}.
 */
@FunctionalInterface
public interface RouteListener {

    /**
     * Called on the thread that runs {@link LooseRouter#preprocess}, after the request has been
     * rewritten. {@code params} are those of our entry ({@link RouteParams#EMPTY} if it had none).
     */
    void onOurRoute(SIPRequest request, RouteParams params);
}

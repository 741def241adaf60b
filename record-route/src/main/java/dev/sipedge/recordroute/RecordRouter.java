package dev.sipedge.recordroute;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import java.util.Map;
import java.util.Objects;
import javax.sip.SipException;

/**
 * RFC 3261 §16.6 step 4 Record-Route insertion, with the double Record-Route of RFC 5658 when a
 * request enters on one interface and leaves on another.
 *
 * <p>Each value is {@code <sip:host:port;transport=T;lr;params...>}:
 * <ul>
 *   <li>the port is always explicit, so {@link LocalIdentity#isOurs} never depends on defaults;</li>
 *   <li>{@code transport} is written only when it is not {@code udp} (UDP is what a {@code sip:}
 *       URI without transport means to RFC 3263 senders, and {@link LocalIdentity} accepts such a
 *       URI for every transport we listen on at that host and port);</li>
 *   <li>{@code ;lr} always (we are a loose router, §16.6 step 4);</li>
 *   <li>then the caller's {@link RouteParams} (the dialog module's {@code did}), on both values
 *       of a double Record-Route so either can be read back.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class RecordRouter {

    /**
     * Adds our Record-Route for a request that arrived on {@code inbound} and leaves on
     * {@code outbound}. When they differ (host, port or transport), two values are added
     * (RFC 5658 §3): first the inbound one, then the outbound one on top of it, so the callee
     * (who reads the list top-down) reaches us on {@code outbound} and the caller (bottom-up)
     * on {@code inbound}.
     */
    public void addRecordRoute(SIPRequest request, LocalInterface inbound, LocalInterface outbound,
                               RouteParams params) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(params, "params");
        if (!inbound.equals(outbound)) {
            addOnTop(request, inbound, params);
        }
        addOnTop(request, outbound, params);
    }

    /** Single Record-Route for a request that leaves on the interface it arrived on. */
    public void addRecordRoute(SIPRequest request, LocalInterface via, RouteParams params) {
        addRecordRoute(request, via, via, params);
    }

    /** The URI we put in a Record-Route for {@code iface}; exposed for tests and the dialog module. */
    public static SipUri recordRouteUri(LocalInterface iface, RouteParams params) {
        try {
            SipUri uri = new SipUri();
            uri.setHost(iface.uriHost());
            uri.setPort(iface.port());
            if (!"udp".equals(iface.transport())) {
                uri.setTransportParam(iface.transport());
            }
            uri.setLrParam();
            for (Map.Entry<String, String> p : params.asMap().entrySet()) {
                uri.setParameter(p.getKey(), p.getValue());
            }
            return uri;
        } catch (ParseException e) {
            // LocalInterface and RouteParams validate their contents, so this is a programming error.
            throw new IllegalArgumentException("cannot build Record-Route URI for " + iface, e);
        }
    }

    private static void addOnTop(SIPRequest request, LocalInterface iface, RouteParams params) {
        AddressImpl address = new AddressImpl();
        address.setURI(recordRouteUri(iface, params));
        RecordRoute recordRoute = new RecordRoute();
        recordRoute.setAddress(address);
        try {
            request.addFirst(recordRoute);
        } catch (SipException e) {
            // addFirst only refuses null or non-list headers; Record-Route is a list header.
            throw new IllegalStateException("cannot add Record-Route", e);
        }
    }
}

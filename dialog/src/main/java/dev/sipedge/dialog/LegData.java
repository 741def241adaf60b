package dev.sipedge.dialog;

import dev.sipedge.recordroute.LocalIdentity;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sip.address.URI;
import javax.sip.header.ContentTypeHeader;

/** Reads the few strings a {@link Leg} keeps out of a message (RFC 3261 §12.1). */
final class LegData {
    private LegData() {
    }

    /** The first Contact URI, or null. */
    static String contact(SIPMessage message) {
        ContactList contacts = message.getContactHeaders();
        if (contacts == null || contacts.isEmpty()) {
            return null;
        }
        Contact c = (Contact) contacts.getFirst();
        // "Contact: *" (REGISTER only, RFC 3261 §10.2.2) has no URI: it names no target.
        if (c.isWildCard() || c.getAddress() == null || c.getAddress().getURI() == null) {
            return null;
        }
        return c.getAddress().getURI().toString();
    }

    /**
     * Route set toward the caller, from the initial INVITE as it reached us: its Record-Route
     * entries (proxies between the caller and us) top-down, which is the order a request toward
     * the caller passes them.
     */
    static List<String> callerRouteSet(SIPRequest invite) {
        RecordRouteList rrs = invite.getRecordRouteHeaders();
        if (rrs == null || rrs.isEmpty()) {
            return List.of();
        }
        List<String> set = new ArrayList<>(rrs.size());
        for (Object h : rrs) {
            set.add(((RecordRoute) h).getAddress().getURI().toString());
        }
        return List.copyOf(set);
    }

    /**
     * Route set toward a callee, from a response to the initial INVITE: the Record-Route entries
     * above our own (proxies between us and the callee), bottom-up, nearest first. "Our own" is
     * the lowest run of our entries (one, or two for a double Record-Route): in a spiral the
     * proxies between our two passes, and our second-pass entry, are part of the route set, so a
     * request the module sends toward the callee passes them as the caller's would.
     */
    static List<String> calleeRouteSet(SIPMessage response, LocalIdentity identity) {
        RecordRouteList rrs = response.getRecordRouteHeaders();
        if (rrs == null || rrs.isEmpty()) {
            return List.of();
        }
        List<URI> all = new ArrayList<>(rrs.size());
        for (Object h : rrs) {
            all.add(((RecordRoute) h).getAddress().getURI());
        }
        int ours = all.size();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (identity.isOurs(all.get(i))) {
                ours = i;
                break;
            }
        }
        while (ours > 0 && ours < all.size() && identity.isOurs(all.get(ours - 1))) {
            ours--;
        }
        if (ours == 0) {
            return List.of();
        }
        List<String> above = new ArrayList<>(ours);
        for (int i = ours - 1; i >= 0; i--) {
            above.add(all.get(i).toString());
        }
        return List.copyOf(above);
    }

    /** The Route URIs a request still carries after our own entry was removed, in order. */
    static List<String> remainingRoutes(SIPRequest request) {
        RouteList routes = request.getRouteHeaders();
        if (routes == null || routes.isEmpty()) {
            return List.of();
        }
        List<String> set = new ArrayList<>(routes.size());
        for (Object h : routes) {
            set.add(((Route) h).getAddress().getURI().toString());
        }
        return set;
    }

    /** The SDP body, or null when the message carries none. */
    static String sdp(SIPMessage message) {
        byte[] body = message.getRawContent();
        if (body == null || body.length == 0) {
            return null;
        }
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        if (type == null || !"application".equalsIgnoreCase(type.getContentType())
                || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The SDP of {@code message} when {@code receiver} is re-INVITE-pinged (else null: nothing is kept). */
    static String pingSdp(Dialog d, Leg receiver, SIPMessage message) {
        PingMode mode = receiver == d.caller() ? d.options.pingCaller() : d.options.pingCallee();
        return mode == PingMode.REINVITE ? sdp(message) : null;
    }

    /** Keeps the SDP {@code receiver} was sent, when it is re-INVITE-pinged (its pings resend it). */
    static void keepPingSdp(Dialog d, Leg receiver, SIPMessage message) {
        String sdp = pingSdp(d, receiver, message);
        if (sdp != null) {
            receiver.lastSdp(sdp);
        }
    }
}

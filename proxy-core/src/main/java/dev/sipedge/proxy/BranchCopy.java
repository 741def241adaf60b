package dev.sipedge.proxy;

import dev.sipedge.transport.EmptyMessages;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RAck;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.Iterator;

/**
 * The copy of a received request that one branch forwards (RFC 3261 §16.6 step 1). JAIN-SIP's
 * {@code clone()} copies every header down to its last parameter, though the forwarding changes
 * only a few: the request line (strict-route fix-up), the Via, Route and Record-Route lists (a
 * value added or removed, never a value changed), Max-Forwards, and the CSeq and RAck the dialog
 * module shifts; setting the body rewrites Content-Length. Those get their own objects here (the
 * lists a list of their own holding the same values); every other header object — From, To,
 * Call-ID, Contact, and what the proxy never reads — is shared with the original, which nothing
 * changes once routed (the loose router edits its Route list before any copy is made). A new edit of a forwarded request belongs in this list.
 */
final class BranchCopy {
    private BranchCopy() {
    }

    static SIPRequest of(SIPRequest original) {
        SIPRequest copy = EmptyMessages.request();
        copy.setRequestLine((RequestLine) original.getRequestLine().clone());
        try {
            for (Iterator<SIPHeader> it = original.getHeaders(); it.hasNext(); ) {
                copy.attachHeader(ownedOrShared(it.next()), false, false);
            }
        } catch (SIPDuplicateHeaderException e) {
            throw new IllegalStateException("a header the original holds once was attached twice", e);
        }
        byte[] body = original.getRawContent();
        if (body != null) {
            copy.setMessageContent(body);
        }
        copy.setSize(original.getSize());
        copy.setApplicationData(original.getApplicationData());
        return copy;
    }

    private static SIPHeader ownedOrShared(SIPHeader header) {
        if (header instanceof ViaList vias) {
            return withValues(new ViaList(), vias);
        }
        if (header instanceof RouteList routes) {
            return withValues(new RouteList(), routes);
        }
        if (header instanceof RecordRouteList recordRoutes) {
            return withValues(new RecordRouteList(), recordRoutes);
        }
        if (header instanceof MaxForwards || header instanceof CSeq || header instanceof RAck
                || header instanceof ContentLength) {
            return (SIPHeader) header.clone();
        }
        return header;
    }

    private static <H extends SIPHeader> SIPHeaderList<H> withValues(SIPHeaderList<H> own, SIPHeaderList<H> of) {
        own.addAll(of);
        return own;
    }
}

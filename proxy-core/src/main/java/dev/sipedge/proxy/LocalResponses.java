package dev.sipedge.proxy;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;

/** Responses sipedge generates itself (RFC 3261 §8.2.6): copied headers plus our To tag. */
public final class LocalResponses {
    private LocalResponses() {
    }

    public static SIPResponse create(SIPRequest request, int status, String reason) {
        SIPResponse response = request.createResponse(status, reason);
        // §8.2.6.2: every response of ours but 100 carries a To tag when the request had none.
        if (status > 100 && response.getToTag() == null && response.getTo() != null) {
            try {
                response.getTo().setTag(localTag(request));
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        return response;
    }

    /** Stable per request, so that answers to retransmissions carry the same tag. */
    private static String localTag(SIPRequest request) {
        String branch = request.getTopmostVia() == null ? "" : request.getTopmostVia().getBranch();
        String callId = request.getCallId() == null ? "" : request.getCallId().getCallId();
        return "se" + Integer.toHexString((callId + '|' + branch).hashCode());
    }
}

package dev.sipedge.transport;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;

/**
 * The bytes a request was received as, kept on the parsed request (its JAIN-SIP application data,
 * which {@code clone()} shares with each branch's copy), with what the parse counted in them: the
 * number of Via, Record-Route and Route values, the CSeq number and whether Max-Forwards was
 * there. Forwarding changes exactly those (RFC 3261 §16.4 and §16.6: our Route entries removed,
 * Max-Forwards decremented, Record-Route and our Via added, the top Via's {@code received} and
 * {@code rport} stamped on receipt), so the request that leaves is written as these bytes with
 * those edits ({@link RequestRelayEdit}) instead of encoding every header again; the difference
 * between the counts here and the object's lists says which values were added or removed.
 *
 * <p>Anything else that changes an outgoing request (a strict router's Request-URI, a shifted
 * CSeq or RAck) calls {@link ReceivedBytes#forget}, and the request is encoded as before; a CSeq
 * that differs anyway sends it to the encoder too.
 */
record ReceivedRequestBytes(byte[] bytes, int headerEnd, int vias, int recordRoutes, int routes, long cseq,
                            boolean maxForwards) {

    /**
     * Keeps {@code bytes} (its header block ends at {@code headerEnd}, as framed) on a cleanly
     * parsed request; whether they can be edited is the edit's to find out, so parsing pays no scan.
     */
    static void attachTo(SIPRequest request, byte[] bytes, int headerEnd) {
        CSeq cseq = (CSeq) request.getCSeq();
        if (request.getApplicationData() == null && cseq != null && request.getViaHeaders() != null && headerEnd > 0) {
            request.setApplicationData(new ReceivedRequestBytes(bytes, headerEnd, request.getViaHeaders().size(),
                    size(request.getRecordRouteHeaders()), size(request.getRouteHeaders()), cseq.getSeqNumber(),
                    request.getMaxForwards() != null));
        }
    }

    static ReceivedRequestBytes of(SIPMessage message) {
        return message.getApplicationData() instanceof ReceivedRequestBytes received ? received : null;
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}

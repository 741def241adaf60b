package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.message.Request;

/**
 * Builds the {@code 513 Message Too Large} answer (RFC 3261 §21.5.14) from the beginning of an
 * oversized request: the complete header lines received before the limit was hit. A response can
 * only be built when those lines hold Via, From, To, Call-ID and CSeq (§8.2.6.2); otherwise, or for
 * a response or an ACK (never answered, §17.2.3), there is none and the caller just drops/closes.
 */
final class TooLargeResponse {

    private static final byte[] BLANK_LINE = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private TooLargeResponse() {
    }

    /** The 513 response, or null. {@code headerLines} ends at a line end (or at the blank line). */
    static SIPResponse from(byte[] headerLines) {
        byte[] terminated = new byte[headerLines.length + BLANK_LINE.length];
        System.arraycopy(headerLines, 0, terminated, 0, headerLines.length);
        System.arraycopy(BLANK_LINE, 0, terminated, headerLines.length, BLANK_LINE.length);
        SIPMessage message;
        try {
            // headers we cannot parse are irrelevant here: only the five below matter
            message = new GuardedMsgParser().parseSIPMessage(terminated, false, false, (e, m, c, h, t) -> { });
        } catch (ParseException | RuntimeException e) {
            return null;   // nothing usable to address a response with
        }
        if (!(message instanceof SIPRequest request) || request.getRequestLine() == null
                || Request.ACK.equals(request.getMethod()) || request.getTopmostVia() == null
                || request.getFrom() == null || request.getTo() == null
                || request.getCallId() == null || request.getCSeq() == null) {
            return null;
        }
        try {
            return request.createResponse(SIPResponse.MESSAGE_TOO_LARGE);
        } catch (RuntimeException e) {
            return null;   // JAIN-SIP rejects some header combinations; then there is no answer to give
        }
    }
}

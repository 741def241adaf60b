package dev.sipedge.transport;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.Lexer;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.Arrays;

/**
 * One framed message's bytes to a JAIN-SIP message, strictly.
 *
 * <p>Without a {@link ParseExceptionListener}, JAIN-SIP's {@link StringMsgParser} silently drops a
 * header it cannot parse, so a message missing its only Via or CSeq would look merely incomplete.
 * With one, it reports each bad header (or start line) and carries on; this class records the first
 * report and turns the result into a {@link DecodeFailure} naming the header, keeping the partial
 * message so the proxy can still answer 400 (RFC 3261 §16.3, §21.4.1).
 *
 * <p>Thread safety: {@link StringMsgParser} in JAIN-SIP-RI 1.3 keeps no per-parse state in the
 * instance (only static, immutable tables and a logger), and the lexer tables are
 * {@code ConcurrentHashMap}s, so one instance may be shared; the listener is per call.
 *
 * <p>The caller frames the bytes first: the parser takes everything after the header block as the
 * body and rewrites Content-Length to match, so truncation (§18.3) must happen before.
 */
final class SipMessageParser {

    private final StringMsgParser parser = new StringMsgParser();

    /**
     * Parses a framed message: a {@link SIPMessage}, a {@link DecodeFailure}, or null for bytes
     * that hold only CR/LF/control characters. {@code headerLength} is where the body starts; when
     * there is no Content-Length (legal on UDP, §18.3) JAIN-SIP reads no body, so it is set here.
     */
    Object parse(byte[] bytes, int headerLength) {
        Object outcome = parse(bytes, true);
        // the caller framed the bytes, so a body the parser left out can only be one without Content-Length
        if (outcome instanceof SIPMessage message && message.getRawContent() == null
                && bytes.length > headerLength) {
            message.setMessageContent(Arrays.copyOfRange(bytes, headerLength, bytes.length));
        }
        return outcome;
    }

    /** Parses a header block alone, to keep what can be kept of a message that cannot be framed. */
    SIPMessage parseHeaders(byte[] headerBytes) {
        Object outcome = parse(headerBytes, false);
        return outcome instanceof DecodeFailure failure ? failure.partial() : (SIPMessage) outcome;
    }

    /** Same as {@link #parse(byte[], int)} for a message whose Content-Length matches its body. */
    Object parse(byte[] bytes) {
        return parse(bytes, true);
    }

    private Object parse(byte[] bytes, boolean readBody) {
        FirstProblem problem = new FirstProblem();
        SIPMessage message;
        try {
            message = parser.parseSIPMessage(bytes, readBody, false, problem);
        } catch (ParseException e) {
            return new DecodeFailure(problem.partial, problem.reason != null ? problem.reason : e.getMessage());
        } catch (RuntimeException e) {
            // JAIN-SIP throws unchecked exceptions on some garbage (e.g. a body with no CSeq); it is still just bad input
            return new DecodeFailure(problem.partial, "unparseable message: " + e.getClass().getSimpleName());
        }
        if (message == null) {
            return null;
        }
        if (problem.reason != null) {
            return new DecodeFailure(message, problem.reason);
        }
        if (message instanceof SIPRequest request && request.getRequestLine() == null
                || message instanceof SIPResponse response && response.getStatusLine() == null) {
            return new DecodeFailure(message, "no start line");
        }
        return message;
    }

    /** Keeps the first problem the parser reports; later ones add nothing for the 400 reason. */
    private static final class FirstProblem implements ParseExceptionListener {
        String reason;
        SIPMessage partial;

        @Override
        public void handleException(ParseException ex, SIPMessage message, Class headerClass,
                                    String headerText, String messageText) {
            partial = message;
            if (reason != null) {
                return;
            }
            if (headerClass == RequestLine.class) {
                reason = "bad request line";
            } else if (headerClass == StatusLine.class) {
                reason = "bad status line";
            } else {
                String name = headerText == null ? "" : Lexer.getHeaderName(headerText);
                reason = "bad header " + (name == null || name.isBlank() ? "(unnamed)" : name.trim());
            }
        }
    }
}

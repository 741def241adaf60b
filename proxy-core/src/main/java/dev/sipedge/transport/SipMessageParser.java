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

    /** Either a {@link SIPMessage}, a {@link DecodeFailure}, or null for bytes that hold only CR/LF/control characters. */
    Object parse(byte[] bytes) {
        FirstProblem problem = new FirstProblem();
        SIPMessage message;
        try {
            message = parser.parseSIPMessage(bytes, true, false, problem);
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

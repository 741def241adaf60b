package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.Arrays;

/**
 * One framed message's bytes to a JAIN-SIP message, strictly.
 *
 * <p>Without a {@link ParseExceptionListener}, JAIN-SIP's {@link StringMsgParser} silently drops a
 * header it cannot parse, so a message missing its only Via or CSeq would look merely incomplete.
 * With one ({@link ParseDefects}), it reports each bad header (or start line) and carries on. A
 * failure in a header the proxy needs (Via, CSeq, Call-ID, From, To, Max-Forwards, Route, ...)
 * turns the result into a {@link DecodeFailure} naming the header, keeping the partial message
 * so the proxy can still answer 400 (RFC 3261 §16.3, §21.4.1); other defects travel with the
 * message for the validator.
 *
 * <p>Thread safety: {@link StringMsgParser} in JAIN-SIP-RI 1.3 keeps no per-parse state in the
 * instance (only static, immutable tables and a logger), and the lexer tables are
 * {@code ConcurrentHashMap}s, so one instance may be shared; the listener is per call.
 *
 * <p>The caller frames the bytes first: the parser takes everything after the header block as the
 * body and rewrites Content-Length to match, so truncation (§18.3) must happen before.
 */
final class SipMessageParser {

    private final StringMsgParser parser;

    /** The parser the proxy uses: the plain headers every call carries parsed without JAIN-SIP's lexers. */
    SipMessageParser() {
        this(true);
    }

    /** {@code plainHeaders} false: JAIN-SIP parses every header (the reference for the differential test). */
    SipMessageParser(boolean plainHeaders) {
        this(plainHeaders ? new PlainMessageParser() : new GuardedMsgParser());
    }

    /** With a given message parser: the tests compare the proxy's against references. */
    SipMessageParser(StringMsgParser parser) {
        this.parser = parser;
    }

    /**
     * Parses a message as {@link SipFraming#frame} framed it: the header block is
     * {@code [0, frame.headerEnd())}, and whether it declares a Content-Length is known already.
     */
    ParseOutcome parse(byte[] bytes, SipFraming.Framed frame) {
        return parseBody(bytes, frame.headerEnd(), frame.contentLength().isPresent());
    }

    /**
     * Parses a framed message whose frame the caller does not hold ({@code headerLength} is where
     * the body starts): the header block is scanned for a Content-Length here.
     */
    ParseOutcome parse(byte[] bytes, int headerLength) {
        return parseBody(bytes, headerLength, ViaSplice.declaresContentLength(bytes));
    }

    /** When there is no Content-Length (legal on UDP, §18.3) JAIN-SIP reads no body, so it is set here. */
    private ParseOutcome parseBody(byte[] bytes, int headerLength, boolean declaresContentLength) {
        ParseOutcome outcome = parse(bytes, true, headerLength, declaresContentLength);
        // the caller framed the bytes, so a body the parser left out can only be one without Content-Length
        if (outcome instanceof ParseOutcome.Parsed parsed && parsed.message().getRawContent() == null
                && bytes.length > headerLength) {
            parsed.message().setMessageContent(Arrays.copyOfRange(bytes, headerLength, bytes.length));
        }
        return outcome;
    }

    /**
     * Parses a header block alone, to keep what can be kept of a message that cannot be framed:
     * the partial message a {@link DecodeFailure} carries, null when nothing parsed.
     */
    SIPMessage parseHeaders(byte[] headerBytes) {
        ParseOutcome outcome = parse(headerBytes, false, headerBytes.length, false);
        if (outcome instanceof ParseOutcome.Parsed parsed) {
            return parsed.message();
        }
        return outcome instanceof DecodeFailure failure ? failure.partial() : null;
    }

    /** Same as {@link #parse(byte[], int)} for a message whose Content-Length matches its body. */
    ParseOutcome parse(byte[] bytes) {
        return parse(bytes, true, HeaderBytes.blockEnd(bytes), ViaSplice.declaresContentLength(bytes));
    }

    /**
     * {@code declaresContentLength}: the header block names a Content-Length, which a response's
     * received bytes need to be relayed as they are ({@link ReceivedBytes}).
     */
    private ParseOutcome parse(byte[] bytes, boolean readBody, int headerLength, boolean declaresContentLength) {
        ParseDefects defects = new ParseDefects();
        SIPMessage message;
        try {
            message = parser.parseSIPMessage(bytes, readBody, false, defects);
        } catch (ParseException e) {
            return new DecodeFailure(null, reason(defects.firstEssential(), e.getMessage()));
        } catch (RuntimeException e) {
            // JAIN-SIP throws unchecked exceptions on some garbage (e.g. a body with no CSeq); it is still just bad input
            return new DecodeFailure(null, "unparseable message: " + e.getClass().getSimpleName());
        }
        if (message == null) {
            return ParseOutcome.Blank.INSTANCE;
        }
        ParseDefects.Defect essential = defects.firstEssential();
        if (essential != null) {
            return new DecodeFailure(message, reason(essential, null));
        }
        if (message instanceof SIPRequest request && request.getRequestLine() == null
                || message instanceof SIPResponse response && response.getStatusLine() == null) {
            return new DecodeFailure(message, "no start line");
        }
        if (message instanceof SIPResponse response
                && (response.getStatusCode() < 100 || response.getStatusCode() > 699)) {
            // RFC 3261 §7.2 / §25.1: Status-Code is three digits, 1xx-6xx
            return new DecodeFailure(message, "bad status code " + response.getStatusCode());
        }
        // Repeated single headers and the raw version are the validator's to judge (400 / 505);
        // an unparseable non-essential header (Date, Expires...) is dropped and the message relayed.
        defects.scanHeaderBlock(bytes);
        if (!defects.isEmpty()) {
            defects.attachTo(message);
        } else if (readBody && message.getSize() != headerLength) {
            // JAIN-SIP ends the header block at the first line of only blanks or controls (a fold
            // of nothing but a tab, say), where framing found the blank line later: the headers
            // between were never parsed, so the received bytes must not be relayed as they are
            return new ParseOutcome.Parsed(message);
        } else if (readBody && message instanceof SIPRequest request) {
            ReceivedRequestBytes.attachTo(request, bytes, headerLength);
        } else if (readBody && declaresContentLength) {
            ReceivedBytes.attachTo(message, bytes, headerLength);
        }
        return new ParseOutcome.Parsed(message);
    }

    private static String reason(ParseDefects.Defect defect, String fallback) {
        if (defect == null) {
            return fallback == null ? "unparseable message" : fallback;
        }
        return ParseDefects.REQUEST_LINE.equals(defect.header()) ? "bad request line" : "bad header " + defect.header();
    }
}

package dev.sipedge.transport;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.Optional;

/**
 * The start line of a message in its plain form, into the message JAIN-SIP's first-line parsers
 * would make: {@code METHOD sip:... SIP/2.0} for a request with a known method in upper case,
 * {@code SIP/2.0 NNN reason} for a response. Anything else is declined and JAIN-SIP parses it
 * (and reports what is wrong with it), as for {@link PlainHeaderParser}.
 */
final class PlainStartLine {
    private static final String VERSION = "SIP/2.0";

    private PlainStartLine() {
    }

    /** The new message with its start line; empty when the line is not plain. */
    static Optional<SIPMessage> parse(String line) {
        try {
            return Optional.ofNullable(line.startsWith(VERSION) ? statusLine(line) : requestLine(line));
        } catch (RuntimeException e) {
            // a setter refused what the scan let through: JAIN-SIP's path reports it
            return Optional.empty();
        }
    }

    private static SIPRequest requestLine(String line) {
        HeaderLine c = HeaderLine.startLine(line);
        String method = c.token();
        if (!c.ok || !PlainHeaderParser.METHODS.contains(method) || !c.whitespace()) {
            return null;
        }
        SipUri uri = c.requestUri();
        if (!c.ok || !c.whitespace() || !c.literal(VERSION) || !c.atEnd()) {
            return null;
        }
        RequestLine requestLine = new RequestLine();
        requestLine.setMethod(method);
        requestLine.setUri(uri);
        requestLine.setSipVersion(VERSION);
        SIPRequest request = EmptyMessages.request();
        request.setRequestLine(requestLine);
        return request;
    }

    private static SIPResponse statusLine(String line) {
        HeaderLine c = HeaderLine.startLine(line);
        if (!c.literal(VERSION) || !c.whitespace()) {
            return null;
        }
        long code = c.number(3);
        if (!c.ok || code < 100 || !c.whitespace()) {
            return null;
        }
        StatusLine statusLine = new StatusLine();
        statusLine.setSipVersion(VERSION);
        statusLine.setStatusCode((int) code);
        statusLine.setReasonPhrase(c.rest());
        SIPResponse response = EmptyMessages.response();
        response.setStatusLine(statusLine);
        return response;
    }
}

package dev.sipedge.transport;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.NameMap;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.Lexer;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * JAIN-SIP's message parser with two guards received text needs where JAIN-SIP reads a header
 * line:
 * <ul>
 *   <li>a line that ends in a backslash is a defect, never parsed. JAIN-SIP's comment loop (a Via
 *       with {@code (...\}) takes the backslash as an escape, swallows the line end it stops at,
 *       and appends forever: one datagram would exhaust the heap (found by fuzzing,
 *       {@code RequestRelayEditFuzzTest}). No valid header ends so: a quoted-pair needs a
 *       character after it, and a comment or quoted string its closing {@code )} or {@code "};</li>
 *   <li>the parsed header joins the message through {@link HeaderAttach}, which keeps the headers
 *       JAIN-SIP's own attach drops when a list header has a second line.</li>
 * </ul>
 * A line JAIN-SIP cannot parse is reported to the listener and left out, as JAIN-SIP does.
 */
class GuardedMsgParser extends StringMsgParser {

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener,
                                 byte[] rawMessage) throws ParseException {
        if (header == null || header.isEmpty()) {
            return;
        }
        try {
            if (header.charAt(header.length() - 1) == '\\') {
                throw new ParseException("header line ends in a backslash", header.length() - 1);
            }
            HeaderAttach.attach(message, ParserFactory.createParser(header + "\n").parse());
        } catch (ParseException defect) {
            if (listener == null) {
                throw defect;
            }
            listener.handleException(defect, message, headerClass(header), header,
                    new String(rawMessage, StandardCharsets.UTF_8));
        }
    }

    /** The class JAIN-SIP parses a line's header into; a line without a name (no colon) is an extension's. */
    private static Class<?> headerClass(String header) {
        String name = Lexer.getHeaderName(header);
        Class<?> known = name == null ? null : NameMap.getClassFromName(name);
        return known == null ? ExtensionHeaderImpl.class : known;
    }
}

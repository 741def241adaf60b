package dev.sipedge.transport;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.NameMap;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.Lexer;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * JAIN-SIP's message parser with the one guard received text needs before JAIN-SIP reads a header
 * line: a line that ends in a backslash is a defect, never parsed. JAIN-SIP's comment loop (a Via
 * with {@code (...\}) takes the backslash as an escape, swallows the line end it stops at, and
 * appends forever: one datagram would exhaust the heap (found by fuzzing,
 * {@code RequestRelayEditFuzzTest}). No valid header ends so: a quoted-pair needs a character
 * after it, and a comment or quoted string its closing {@code )} or {@code "}.
 */
class GuardedMsgParser extends StringMsgParser {

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener,
                                 byte[] rawMessage) throws ParseException {
        if (header != null && !header.isEmpty() && header.charAt(header.length() - 1) == '\\') {
            ParseException defect = new ParseException("header line ends in a backslash", header.length() - 1);
            if (listener == null) {
                throw defect;
            }
            Class<?> headerClass = NameMap.getClassFromName(Lexer.getHeaderName(header));
            listener.handleException(defect, message, headerClass == null ? ExtensionHeaderImpl.class : headerClass,
                    header, new String(rawMessage, StandardCharsets.UTF_8));
            return;
        }
        super.processHeader(header, message, listener, rawMessage);
    }
}

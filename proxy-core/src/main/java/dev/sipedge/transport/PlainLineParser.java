package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import java.text.ParseException;
import java.util.Optional;

/**
 * JAIN-SIP's message parser with the start line and each header line offered to
 * {@link PlainStartLine} and {@link PlainHeaderParser} first; what they decline takes JAIN-SIP's
 * own path. {@link PlainMessageParser} puts our line loop under it; alone, over JAIN-SIP's loop,
 * it is the reference that loop is tested against.
 */
class PlainLineParser extends GuardedMsgParser {

    @Override
    protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] rawMessage)
            throws ParseException {
        Optional<SIPMessage> plain = PlainStartLine.parse(firstLine);
        return plain.isPresent() ? plain.get() : super.processFirstLine(firstLine, listener, rawMessage);
    }

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener,
                                 byte[] rawMessage) throws ParseException {
        if (header == null || header.isEmpty() || !PlainHeaderParser.attach(message, header)) {
            super.processHeader(header, message, listener, rawMessage);
        }
    }
}

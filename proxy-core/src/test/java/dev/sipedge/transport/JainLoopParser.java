package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import java.text.ParseException;
import java.util.Optional;

/**
 * The reference for {@link PlainMessageParser}'s line loop: JAIN-SIP's own loop, with the start
 * line and header lines offered to the same plain parsers, so that a difference between the two
 * can only be the loop's.
 */
final class JainLoopParser extends GuardedMsgParser {

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

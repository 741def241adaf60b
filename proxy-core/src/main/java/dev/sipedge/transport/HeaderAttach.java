package dev.sipedge.transport;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.SIPHeaderNamesCache;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import gov.nist.javax.sip.message.SIPMessage;

/**
 * Attaches a parsed header line to the message being parsed, as JAIN-SIP's parser does but for
 * one flaw of {@link SIPMessage#attachHeader(SIPHeader, boolean)}: before it joins a further line
 * of a list header (a second Route line, say) to the list, it drops from the message's header
 * order every header "equal" to the list's first value, and an address header's equality looks
 * at the address and parameters only, not at the header's kind. A Refer-To, From or Reply-To
 * naming the first Route's URI vanished from every encoding of the message while
 * {@code getHeader} still found it (found by {@code RequestRelayEditFuzzTest}: the relay edit
 * passed the line on, the encoder did not). Joining the list directly keeps every header.
 */
final class HeaderAttach {
    private HeaderAttach() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void attach(SIPMessage message, SIPHeader header) throws SIPDuplicateHeaderException {
        if (header instanceof SIPHeaderList more
                && message.getSIPHeaderListLowerCase(SIPHeaderNamesCache.toLowerCase(more.getName()))
                        instanceof SIPHeaderList list) {
            list.concatenate(more, false);
            return;
        }
        message.attachHeader(header, false);
    }
}

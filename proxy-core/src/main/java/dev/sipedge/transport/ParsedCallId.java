package dev.sipedge.transport;

import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.CallIdentifier;
import java.text.ParseException;

/**
 * The Call-ID header the plain path makes: {@link CallID#getCallId()} encodes the value anew on
 * every call (a builder and a string), and the proxy, its validator, loop hash and dialog
 * module ask for it a handful of times per message (~2 % of a warm proxy's allocation). This one
 * keeps the first encoding until the value is set again; what it returns does not change.
 */
final class ParsedCallId extends CallID {
    private String encoded;

    @Override
    public String getCallId() {
        String value = encoded;
        if (value == null) {
            value = super.getCallId();
            encoded = value;
        }
        return value;
    }

    @Override
    public void setCallId(String cid) throws ParseException {
        encoded = null;
        super.setCallId(cid);
    }

    @Override
    public void setCallIdentifier(CallIdentifier cid) {
        encoded = null;
        super.setCallIdentifier(cid);
    }

    @Override
    public Object clone() {
        ParsedCallId copy = (ParsedCallId) super.clone();
        copy.encoded = null; // the copy's identifier is its own, which the caller may change
        return copy;
    }
}

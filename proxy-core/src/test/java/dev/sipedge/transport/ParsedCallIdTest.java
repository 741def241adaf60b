package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.CallIdentifier;
import gov.nist.javax.sip.message.SIPMessage;
import org.junit.jupiter.api.Test;

class ParsedCallIdTest {

    @Test
    void encodesOnceAndAnswersWhatJainSipWould() throws Exception {
        ParsedCallId id = new ParsedCallId();
        id.setCallId("a84b4c76e66710@pc33.atlanta.com");
        CallID plain = new CallID();
        plain.setCallId("a84b4c76e66710@pc33.atlanta.com");

        String first = id.getCallId();
        assertEquals(plain.getCallId(), first);
        assertSame(first, id.getCallId(), "the second answer is the first one");
        assertEquals(plain.encode(), id.encode());
        assertEquals(plain, id);
    }

    @Test
    void aNewValueIsEncodedAgain() throws Exception {
        ParsedCallId id = new ParsedCallId();
        id.setCallId("first@host");
        assertEquals("first@host", id.getCallId());
        id.setCallId("second@host");
        assertEquals("second@host", id.getCallId());
        id.setCallIdentifier(new CallIdentifier("third"));
        assertEquals("third", id.getCallId());
    }

    @Test
    void aCloneIsItsOwn() throws Exception {
        ParsedCallId id = new ParsedCallId();
        id.setCallId("shared@host");
        assertEquals("shared@host", id.getCallId());
        ParsedCallId copy = (ParsedCallId) id.clone();
        copy.setCallId("changed@host");
        assertEquals("shared@host", id.getCallId());
        assertEquals("changed@host", copy.getCallId());
    }

    @Test
    void thePlainPathMakesThem() {
        byte[] wire = ("OPTIONS sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                + "From: <sip:a@example.org>;tag=1\r\nTo: <sip:bob@example.org>\r\nCall-ID: c1@192.0.2.1\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes();
        SIPMessage parsed = message(new SipMessageParser().parse(wire));
        assertEquals(ParsedCallId.class, parsed.getCallId().getClass());
        assertEquals("c1@192.0.2.1", parsed.getCallId().getCallId());
    }
}

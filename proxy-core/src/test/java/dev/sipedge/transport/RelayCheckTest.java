package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.header.Subject;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The relay check the end-to-end tests run with: silent when the edited bytes say what the object
 * says, a failed send (the buffer released) when a change reached the object but not the bytes.
 */
class RelayCheckTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    @Test
    void editedBytesThatSayWhatTheObjectSaysPass() throws Exception {
        SIPRequest copy = RequestRelayEditTest.forwarded(RequestRelayEditTest.crafted().get(1));
        ByteBuf wire = ((RequestRelayEdit.Edited) RequestRelayEdit.edit(copy, ReceivedRequestBytes.of(copy), ALLOC)).wire();
        assertDoesNotThrow(() -> RelayCheck.verify(copy, wire, ReceivedRequestBytes.of(copy).bytes()));
        assertEquals(1, wire.refCnt());
        wire.release();
    }

    @Test
    void aChangeTheBytesDoNotCarryFailsTheSend() throws Exception {
        SIPRequest copy = RequestRelayEditTest.forwarded(RequestRelayEditTest.crafted().get(0));
        ByteBuf wire = ((RequestRelayEdit.Edited) RequestRelayEdit.edit(copy, ReceivedRequestBytes.of(copy), ALLOC)).wire();
        Subject subject = new Subject();
        subject.setSubject("changed, not forgotten");
        copy.setHeader(subject);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> RelayCheck.verify(copy, wire, ReceivedRequestBytes.of(copy).bytes()));
        assertTrue(failure.getMessage().contains("Subject: changed, not forgotten"), failure.getMessage());
        assertEquals(0, wire.refCnt(), "the buffer that is not sent is released");
    }

    @Test
    void whatAMessageSaysIgnoresTheOrderOfDifferentHeadersOnly() {
        String a = "OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP g;branch=z9hG4bK2\r\n"
                + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        String reordered = "OPTIONS sip:b@x SIP/2.0\r\nFrom: <sip:a@x>;tag=1\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1, "
                + "SIP/2.0/UDP g;branch=z9hG4bK2\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        String viasSwapped = a.replace("z9hG4bK1", "z9hG4bKx").replace("z9hG4bK2", "z9hG4bK1").replace("z9hG4bKx", "z9hG4bK2");
        assertEquals(RelayCheck.headerByHeader(bytes(a)), RelayCheck.headerByHeader(bytes(reordered)));
        assertTrue(!RelayCheck.headerByHeader(bytes(a)).equals(RelayCheck.headerByHeader(bytes(viasSwapped))));
    }

    @Test
    void aHeaderJainSipDoesNotReadBackAsItWritesItIsNamed() {
        String glued = "OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "Record-Route: <sip:10.0.0.3;lr>rpoztp\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\n"
                + "Call-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        assertEquals(Set.of("record-route"), RelayCheck.notRoundTripped(bytes(glued)));
        assertEquals(Set.of(), RelayCheck.notRoundTripped(bytes(glued.replace(">rpoztp", ">;rpoztp"))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.message;
import static dev.sipedge.transport.SipFixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipEncoderTest {

    private final SipMessageParser parser = new SipMessageParser();

    @Test
    void binaryBodySurvivesAndContentLengthIsWritten() throws Exception {
        SIPRequest request = (SIPRequest) message(parser.parse(SipFixtures.bytes(request("MESSAGE", "e1", ""))));
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        request.setContent(body, new gov.nist.javax.sip.header.ContentType("application", "octet-stream"));
        ByteBuf buf = SipEncoder.encode(request, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] wire = ByteBufUtil.getBytes(buf);
            String text = new String(wire, StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("Content-Length: 256\r\n"), text);
            SIPRequest back = (SIPRequest) message(parser.parse(wire));
            assertArrayEquals(body, back.getRawContent());
        } finally {
            buf.release();
        }
    }

    @Test
    void responseViaTransportIsNotRewritten() {
        SIPRequest request = (SIPRequest) message(parser.parse(SipFixtures.bytes(request("OPTIONS", "e2", ""))));
        SIPResponse response = request.createResponse(200);
        ByteBuf buf = SipEncoder.encode(response, UnpooledByteBufAllocator.DEFAULT);
        try {
            String text = buf.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("SIP/2.0 200 OK\r\n"), text);
            assertTrue(text.contains("Via: SIP/2.0/TCP 192.0.2.1:5060"), text);
            assertTrue(text.endsWith("Content-Length: 0\r\n\r\n"), text);
            assertEquals("TCP", response.getTopmostVia().getTransport());
        } finally {
            buf.release();
        }
    }
}

package dev.sipedge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WarmupPeersTest {

    @Test
    void viasJoinOnTheFirstViasLineWithACommaAndASpaceAndTheRestIsUntouched() {
        String response = "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-proxy,SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-b\r\n"
                + "via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-uac\r\n"
                + "Call-ID: c\r\n"
                + "Content-Length: 4\r\n\r\nbody";

        byte[] joined = WarmupPeers.viasOnOneLine(response.getBytes(StandardCharsets.UTF_8));

        assertEquals("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-proxy, SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-b, "
                + "SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-uac\r\n"
                + "Call-ID: c\r\n"
                + "Content-Length: 4\r\n\r\nbody", new String(joined, StandardCharsets.UTF_8));
    }
}

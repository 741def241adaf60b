package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void parsesIpv4AndIpv6() {
        ListenAddress udp = ListenAddress.parse("udp:127.0.0.1:5060");
        assertEquals(new ListenAddress(TransportKind.UDP, "127.0.0.1", 5060), udp);
        assertEquals(new InetSocketAddress("127.0.0.1", 5060), udp.socketAddress());
        ListenAddress tcp = ListenAddress.parse("TCP:[::1]:0");
        assertEquals(TransportKind.TCP, tcp.transport());
        assertEquals("::1", tcp.host());
        assertEquals("tcp:[::1]:0", tcp.toString());
    }

    @Test
    void refusesWhatItCannotBindWithoutDns() {
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("udp:localhost:5060"));
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("sctp:127.0.0.1:5060"));
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("udp:127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("udp:127.0.0.1:70000"));
    }
}

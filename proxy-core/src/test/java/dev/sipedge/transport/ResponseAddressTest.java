package dev.sipedge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.parser.ViaParser;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3261 §18.2.2 and RFC 3581 §4: where a response goes when the request's connection is gone. */
class ResponseAddressTest {

    private static Via via(String params) throws Exception {
        return (Via) ((gov.nist.javax.sip.header.ViaList) new ViaParser("Via: SIP/2.0/UDP " + params + "\n").parse()).getFirst();
    }

    @ParameterizedTest(name = "{0} over {1} -> {2}:{3}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.1:5070;branch=z9hG4bK1                                  | UDP | 192.0.2.1   | 5070",
        "192.0.2.1;branch=z9hG4bK1                                       | UDP | 192.0.2.1   | 5060",
        "192.0.2.1;branch=z9hG4bK1                                       | TCP | 192.0.2.1   | 5060",
        "192.0.2.1:5070;received=203.0.113.9;branch=z9hG4bK1             | UDP | 203.0.113.9 | 5070",
        "192.0.2.1:5070;received=203.0.113.9;rport=40001;branch=z9hG4bK1  | UDP | 203.0.113.9 | 40001",
        "192.0.2.1:5070;received=203.0.113.9;rport=40001;branch=z9hG4bK1  | TCP | 203.0.113.9 | 5070",
        "192.0.2.1:5070;rport;branch=z9hG4bK1                             | UDP | 192.0.2.1   | 5070",
        "192.0.2.1:5070;rport=junk;branch=z9hG4bK1                        | UDP | 192.0.2.1   | 5070",
        "[2001:db8::1]:5072;branch=z9hG4bK1                               | UDP | 2001:db8::1 | 5072",
        "pc.example.com:5070;received=[2001:db8::5];branch=z9hG4bK1       | TCP | 2001:db8::5 | 5070",
    })
    void destination(String via, TransportKind transport, String host, int port) throws Exception {
        InetSocketAddress target = ResponseAddress.of(via(via), transport);
        assertFalse(target.isUnresolved());
        assertEquals(new InetSocketAddress(host, port), target);
    }

    @ParameterizedTest
    @CsvSource({"UDP", "TCP"})
    void hostNameWithoutReceivedStaysUnresolvedSoNothingLooksItUp(TransportKind transport) throws Exception {
        InetSocketAddress target = ResponseAddress.of(via("pc.example.com:5070;branch=z9hG4bK1"), transport);
        assertTrue(target.isUnresolved());
        assertEquals("pc.example.com", target.getHostString());
        assertEquals(5070, target.getPort());
    }
}

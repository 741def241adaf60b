package dev.sipedge.recordroute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.List;
import javax.sip.address.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalIdentityTest {

    /** UDP and TCP on 203.0.113.5:5060, UDP only on :5080, an advertised name, IPv6 TCP. */
    private final LocalIdentity identity = new LocalIdentity(List.of(
            new LocalInterface("203.0.113.5", 5060, "udp"),
            new LocalInterface("203.0.113.5", 5060, "tcp"),
            new LocalInterface("203.0.113.5", 5080, "udp"),
            new LocalInterface("Edge.Example.COM", 5060, "udp"),
            new LocalInterface("[2001:db8::5]", 5062, "tcp")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "sip:203.0.113.5;lr                          | true",   // default port 5060, any transport
            "sip:203.0.113.5:5060;lr                     | true",
            "sip:203.0.113.5:5060;transport=TCP;lr       | true",
            "sip:203.0.113.5:5060;transport=udp;lr       | true",
            "sip:203.0.113.5:5060;transport=sctp;lr      | false",  // transport mismatch
            "sip:203.0.113.5:5080;lr                     | true",
            "sip:203.0.113.5:5080;transport=tcp;lr       | false",  // no TCP listener on 5080
            "sip:203.0.113.5:5070;lr                     | false",  // different port
            "sip:203.0.113.6;lr                          | false",
            "sip:edge.example.com;lr                     | true",   // advertised name, any case
            "sip:alice@EDGE.example.com:5060             | true",
            "sip:[2001:DB8::5]:5062;transport=tcp;lr     | true",
            "sip:[2001:db8::5]:5062;lr                   | true",
            "sip:[2001:db8::5];lr                        | false",  // 5060 is not IPv6 here
            "sips:203.0.113.5;lr                         | false",  // 5061/tls: not us
            "sip:other.example.net;maddr=203.0.113.5;lr  | true",   // maddr overrides the host
            "sip:203.0.113.5;maddr=198.51.100.1;lr       | false",
            "tel:+15551234567                            | false",
    })
    void recognisesOurUris(String uri, boolean ours) throws ParseException {
        URI parsed = new StringMsgParser().parseUrl(uri);
        assertEquals(ours, identity.isOurs(parsed));
    }

    @Test
    void needsAtLeastOneInterface() {
        assertThrows(IllegalArgumentException.class, () -> new LocalIdentity(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LocalInterface("h", 0, "udp"));
    }
}

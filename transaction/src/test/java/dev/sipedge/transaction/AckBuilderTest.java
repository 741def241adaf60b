package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ACK of a failure, written as text, against the message JAIN-SIP builds of the same headers
 * ({@link BuiltAck}, how it was built before): the same bytes, and the fields §17.1.1.3 names.
 */
class AckBuilderTest {

    static Stream<String> invites() {
        return Stream.of(
                // one Route, Max-Forwards as forwarded
                """
                INVITE sip:bob@192.0.2.9:5070;transport=udp SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-se-1;rport
                Via: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-uac;received=192.0.2.1;rport=5061
                Max-Forwards: 69
                Record-Route: <sip:127.0.0.1:5060;lr;did=1a2.3b>
                Route: <sip:edge.example.com;lr>
                To: "Bob" <sip:bob@example.com>
                From: "Alice" <sip:alice@example.com>;tag=a1
                Call-ID: call-1@192.0.2.1
                CSeq: 7 INVITE
                Contact: <sip:alice@192.0.2.1:5061>
                Content-Length: 0

                """,
                // no Route, no Max-Forwards (70 then), an IPv6 sent-by, the largest CSeq number (§8.1.1.5: below 2**31)
                """
                INVITE sips:bob@example.com SIP/2.0
                Via: SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bK-v6
                To: <sips:bob@example.com>
                From: <sips:alice@example.com>;tag=x9
                Call-ID: v6@[2001:db8::1]
                CSeq: 2147483647 INVITE
                Content-Length: 0

                """,
                // a Route list, a display name beyond ASCII, compact names
                """
                INVITE sip:+4930123@gw.example.net;user=phone SIP/2.0
                v: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-tcp;alias
                Route: <sip:a.example.com;lr>, <sip:b.example.com;lr;ftag=a1>
                Route: <sip:c.example.com;lr>
                t: <sip:+4930123@gw.example.net;user=phone>
                f: "Zoë Müller" <sip:zoe@example.com>;tag=z1
                i: compact-1
                CSeq: 2 INVITE
                Max-Forwards: 12
                l: 0

                """);
    }

    @ParameterizedTest
    @MethodSource("invites")
    void writesTheBytesTheBuiltMessageEncodesTo(String text) {
        SIPRequest invite = (SIPRequest) Sip.parse(text);
        SIPResponse busy = Sip.response(invite, 486, "b7");

        byte[] written = AckBuilder.forNon2xx(invite, busy);

        assertEquals(BuiltAck.of(invite, busy).encode(), new String(written, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("invites")
    void carriesWhatSection17113Names(String text) {
        SIPRequest invite = (SIPRequest) Sip.parse(text);
        SIPResponse busy = Sip.response(invite, 486, "b7");

        SIPRequest ack = (SIPRequest) Sip.parse(new String(AckBuilder.forNon2xx(invite, busy), StandardCharsets.UTF_8));

        assertEquals("ACK", ack.getMethod());
        assertEquals(invite.getRequestURI().toString(), ack.getRequestURI().toString());
        assertEquals(1, ack.getViaHeaders().size(), "the INVITE's top Via alone");
        assertEquals(invite.getTopmostVia().toString(), ack.getTopmostVia().toString());
        assertEquals(invite.getCallId().getCallId(), ack.getCallId().getCallId());
        assertEquals(invite.getFrom().toString(), ack.getFrom().toString());
        assertEquals("b7", ack.getTo().getTag(), "the response's To, with its tag");
        assertEquals(invite.getCSeq().getSeqNumber(), ack.getCSeq().getSeqNumber());
        assertEquals("ACK", ack.getCSeq().getMethod());
        if (invite.getRouteHeaders() == null) {
            assertNull(ack.getRouteHeaders());
        } else {
            assertEquals(invite.getRouteHeaders().toString(), ack.getRouteHeaders().toString());
        }
        int maxForwards = invite.getMaxForwards() == null ? 70 : invite.getMaxForwards().getMaxForwards();
        assertEquals(maxForwards, ack.getMaxForwards().getMaxForwards());
        assertEquals(0, ack.getContentLength().getContentLength());
    }
}

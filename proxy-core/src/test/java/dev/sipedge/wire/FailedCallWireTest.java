package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A failed call through a real sipedge over UDP, after both of its INVITE's transactions have
 * ended: what RFC 3261 still asks of them is done from what their layer keeps, the ACK's bytes
 * downstream until Timer D (§17.1.1.2) and the server transaction's key upstream until Timer I
 * (§17.2.1). A proxy of its own: its kept ACK counts as an active transaction for Timer D's 32 s,
 * which other classes' checks for no transaction left would wait on.
 */
@Tag("e2e")
class FailedCallWireTest {

    /**
     * The callee's 486 sent again (as if the proxy's ACK was lost) gets the same ACK again, byte
     * for byte; the caller's ACK sent twice (as after a 486 that crossed it) is absorbed, neither
     * relayed nor dropped as an ACK of no transaction; nothing more reaches either side.
     */
    @Test
    void repeatedFailureIsAckedAgainAndRepeatedAckAbsorbed() {
        // T4 (Timer I) back to its default 5 s, so the repeated ACK surely comes within it
        try (WireProxy proxy = WireProxy.start(WireTransport.UDP, "transaction { t4 = 5s }");
                UacStub uac = proxy.uac()) {
            String callId = Messages.unique("busy");
            String branch = "z9hG4bK" + Messages.unique("inv");
            uac.send(Messages.message("INVITE sip:bob@example.com SIP/2.0", List.of(
                    Messages.via(WireTransport.UDP, uac, branch), "Max-Forwards: 70",
                    "From: <sip:alice@127.0.0.1>;tag=a1", "To: <sip:bob@example.com>", "Call-ID: " + callId,
                    "CSeq: 1 INVITE", "Contact: <sip:alice@127.0.0.1:" + uac.local().getPort() + ">"), ""));
            UasStub.Received invite = Calls.nextRequest(proxy.uas, "INVITE", callId);
            byte[] busy = Messages.response(invite.message(), 486, "Busy Here", "b1", List.of());
            invite.reply(busy);
            UasStub.Received ack = Calls.nextRequest(proxy.uas, "ACK", callId);
            assertEquals(RawSip.branchOf(invite.message().topVia()), RawSip.branchOf(ack.message().topVia()),
                    "the proxy's own ACK, on the INVITE's branch (§17.1.1.3)");
            RawSip relayed = finalResponse(uac, callId);
            assertEquals(486, relayed.status(), relayed::toString);

            byte[] callerAck = Messages.message("ACK sip:bob@example.com SIP/2.0", List.of(
                    Messages.via(WireTransport.UDP, uac, branch), "Max-Forwards: 70",
                    "From: <sip:alice@127.0.0.1>;tag=a1", "To: " + relayed.header("to"), "Call-ID: " + callId,
                    "CSeq: 1 ACK"), "");
            double dropped = proxy.dropped();
            uac.send(callerAck);
            uac.send(callerAck);
            double retransmissions = proxy.retransmissions();
            invite.reply(busy);

            UasStub.Received ackAgain = Calls.nextRequest(proxy.uas, "ACK", callId);
            assertEquals(ack.message().toString(), ackAgain.message().toString(), "the same ACK, byte for byte");
            assertEquals(retransmissions + 1, proxy.retransmissions(), "counted as a retransmission");
            assertNull(proxy.uas.next(Duration.ofMillis(300)), "no caller's ACK relayed to the callee");
            assertEquals(dropped, proxy.dropped(), "both caller's ACKs absorbed, none dropped");
            assertNull(uac.receive(Duration.ofMillis(100)), "nothing more for the caller");
        }
    }

    /** The next final response for {@code callId}, past the 100 Trying. */
    private static RawSip finalResponse(UacStub uac, String callId) {
        RawSip response = Calls.nextResponse(uac, callId);
        while (response.status() < 200) {
            response = Calls.nextResponse(uac, callId);
        }
        return response;
    }
}

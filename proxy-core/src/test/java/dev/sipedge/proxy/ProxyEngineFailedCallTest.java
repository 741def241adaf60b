package dev.sipedge.proxy;

import static dev.sipedge.proxy.ProxyHarness.FROM_UAC;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS;
import static dev.sipedge.proxy.ProxyHarness.TIMERS;
import static dev.sipedge.proxy.ProxyHarness.UAC;
import static dev.sipedge.proxy.ProxyHarness.UAS;
import static dev.sipedge.proxy.ProxyHarness.answer;
import static dev.sipedge.proxy.ProxyHarness.invite;
import static dev.sipedge.proxy.ProxyHarness.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed call over UDP after the caller's ACK: both of the INVITE's transactions have ended,
 * and what RFC 3261 asks of them until their timers (Timer I upstream, Timer D downstream) is
 * done from the keys their layer keeps.
 */
class ProxyEngineFailedCallTest {

    private final ProxyHarness proxy = new ProxyHarness("sip:127.0.0.1:5070");

    @AfterEach
    void close() {
        proxy.close();
    }

    /** The caller's ACK for the relayed 486 (§17.1.1.3: the INVITE's branch, the 486's To tag). */
    private static SIPRequest ackOf(String callId) {
        return (SIPRequest) parse("""
                ACK sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-uac-%1$s;rport
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-%1$s
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: %1$s
                CSeq: 1 ACK
                Content-Length: 0

                """.formatted(callId));
    }

    private long sentToUas(String method) {
        return proxy.sentTo(UAS).stream().filter(s -> s.isRequest(method)).count();
    }

    /**
     * Until Timer I a repeated ACK and a retransmitted INVITE are absorbed (not relayed on), and a
     * CANCEL is answered 200 and goes no further, as while the server transaction was in
     * Confirmed; after it the CANCEL matches nothing.
     */
    @Test
    void aConfirmedFailureStillAbsorbsAcksAndInvitesAndAnswersACancelUntilTimerI() {
        SIPRequest invite = invite("f1");
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 486, "b1"), FROM_UAS);
        proxy.receive(ackOf("f1"), FROM_UAC);

        assertNull(proxy.layer.findInviteForCancel(ProxyHarness.cancelOf(invite)), "the server transaction ended");
        assertEquals(1, sentToUas("ACK"), "only the proxy's own ACK went down");
        proxy.receive(ackOf("f1"), FROM_UAC);
        proxy.receive(invite("f1"), FROM_UAC);
        assertEquals(1, sentToUas("ACK"), "a repeated ACK is absorbed, not relayed");
        assertEquals(0.0, proxy.registry.get("sipedge_messages_dropped").counter().count(),
                "absorbed by the transaction layer, not dropped as an ACK of no transaction");
        assertEquals(1, sentToUas("INVITE"), "a retransmitted INVITE is absorbed");
        assertEquals(List.of(100, 486), proxy.statusesTo(UAC));
        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);
        assertEquals(List.of(100, 486, 200), proxy.statusesTo(UAC), "the CANCEL found its INVITE: 200");
        assertEquals(0, sentToUas("CANCEL"));

        proxy.advance(TIMERS.t4().plusSeconds(1));
        assertFalse(proxy.layer.confirmedInvite(ProxyHarness.cancelOf(invite)), "after Timer I the INVITE is forgotten");
        // Timer D downstream, and the CANCEL's own Timer J (a CANCEL before it is its retransmission)
        proxy.advance(TIMERS.t1().multipliedBy(64));
        assertEquals(0, proxy.layer.activeTransactions());
        assertEquals(0, proxy.timer.pendingCount(), "no timer left behind");
        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);
        assertEquals(List.of(100, 486, 200, 481), proxy.statusesTo(UAC), "a CANCEL now matches nothing");
    }
}

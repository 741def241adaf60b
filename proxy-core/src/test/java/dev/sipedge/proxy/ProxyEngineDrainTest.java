package dev.sipedge.proxy;

import static dev.sipedge.proxy.ProxyHarness.FROM_UAC;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS;
import static dev.sipedge.proxy.ProxyHarness.UAC;
import static dev.sipedge.proxy.ProxyHarness.UAS;
import static dev.sipedge.proxy.ProxyHarness.answer;
import static dev.sipedge.proxy.ProxyHarness.invite;
import static dev.sipedge.proxy.ProxyHarness.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import javax.sip.header.RetryAfterHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop closes the drain gate: new initial requests get 503 with Retry-After and go
 * nowhere; in-dialog requests, CANCELs, ACKs and transactions already running go on.
 */
class ProxyEngineDrainTest {
    private final ProxyHarness proxy = new ProxyHarness("sip:127.0.0.1:5070");

    @AfterEach
    void close() {
        proxy.close();
    }

    private SIPResponse lastResponseTo(InetSocketAddress remote) {
        var sent = proxy.sentTo(remote);
        return (SIPResponse) sent.get(sent.size() - 1).message();
    }

    private double responses(String statusClass) {
        return proxy.registry.get("sipedge_responses_sent").tag("class", statusClass).counter().count();
    }

    private static void assertRetryAfter(SIPResponse response, int seconds) {
        assertEquals(503, response.getStatusCode());
        RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
        assertNotNull(retryAfter, () -> "no Retry-After in\n" + response);
        assertEquals(seconds, retryAfter.getRetryAfter());
    }

    @Test
    void aNewInviteGets503WithRetryAfterAndReachesNoCallee() {
        proxy.gate.startDraining(Duration.ofSeconds(30));

        proxy.receive(invite("n1"), FROM_UAC);

        assertEquals(List.of(503), proxy.statusesTo(UAC), "no 100 Trying: the call is refused at once");
        assertRetryAfter(lastResponseTo(UAC), 30);
        assertEquals(List.of(), proxy.sentTo(UAS));
        assertEquals(1.0, responses("5xx"), "counted with the other responses");
    }

    @Test
    void aLivenessOptionsGets503SoThatBalancersTakeUsOut() {
        proxy.gate.startDraining(Duration.ofMillis(2500));

        proxy.receive(parse("""
                OPTIONS sip:127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-opt-drain
                Max-Forwards: 70
                From: <sip:mon@127.0.0.1:5061>;tag=m1
                To: <sip:127.0.0.1:5060>
                Call-ID: o-drain
                CSeq: 1 OPTIONS
                Content-Length: 0

                """), FROM_UAC);

        assertEquals(List.of(503), proxy.statusesTo(UAC));
        assertRetryAfter(lastResponseTo(UAC), 3);
    }

    @Test
    void anInDialogByeIsRelayedAndAnswered() {
        proxy.receive(invite("n2"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        proxy.gate.startDraining(Duration.ofSeconds(30));

        proxy.receive(parse("""
                BYE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bye-n2
                Route: <sip:127.0.0.1:5060;lr>
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-n2
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: n2
                CSeq: 2 BYE
                Content-Length: 0

                """), FROM_UAC);
        SIPRequest bye = proxy.lastRequest(UAS, "BYE");
        proxy.receive(answer(bye, 200, null), FROM_UAS);

        assertEquals(List.of(100, 200, 200), proxy.statusesTo(UAC), "the 200 to the INVITE, then the 200 to the BYE");
        assertEquals("BYE", ((SIPResponse) proxy.sentTo(UAC).get(2).message()).getCSeq().getMethod());
    }

    @Test
    void aCallRingingWhenTheStopBeginsCanStillBeCancelled() {
        SIPRequest invite = invite("n3");
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.gate.startDraining(Duration.ofSeconds(30));

        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);
        assertNotNull(proxy.lastRequest(UAS, "CANCEL"), "the CANCEL reaches the callee");
        proxy.receive(answer(out, 487, "b1"), FROM_UAS);

        assertEquals(List.of(100, 180, 200, 487), proxy.statusesTo(UAC));
    }

    @Test
    void aCallRingingWhenTheStopBeginsCanStillBeAnswered() {
        proxy.receive(invite("n4"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.gate.startDraining(Duration.ofSeconds(30));

        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        proxy.receive(parse("""
                ACK sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-ack-n4
                Route: <sip:127.0.0.1:5060;lr>
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-n4
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: n4
                CSeq: 1 ACK
                Content-Length: 0

                """), FROM_UAC);

        assertEquals(List.of(100, 200), proxy.statusesTo(UAC));
        assertNotNull(proxy.lastRequest(UAS, "ACK"), "the 2xx ACK is relayed");
        assertTrue(proxy.gate.draining());
    }

    @Test
    void onlyTransactionsWithoutAFinalResponseHoldTheStop() {
        proxy.receive(invite("n5"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        assertEquals(2, proxy.layer.transactionsInProgress(), "the caller's INVITE and the branch to the callee");

        proxy.receive(answer(out, 486, "b1"), FROM_UAS);

        assertEquals(0, proxy.layer.transactionsInProgress());
        assertTrue(proxy.layer.activeTransactions() > 0, "the completed ones linger for retransmissions");
    }
}

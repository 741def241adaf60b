package dev.sipedge.proxy;

import static dev.sipedge.proxy.ProxyHarness.FROM_UAC;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS2;
import static dev.sipedge.proxy.ProxyHarness.TIMERS;
import static dev.sipedge.proxy.ProxyHarness.UAC;
import static dev.sipedge.proxy.ProxyHarness.UAS;
import static dev.sipedge.proxy.ProxyHarness.UAS2;
import static dev.sipedge.proxy.ProxyHarness.answer;
import static dev.sipedge.proxy.ProxyHarness.invite;
import static dev.sipedge.proxy.ProxyHarness.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.RecordingTransport;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import javax.sip.header.MaxForwardsHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 3261 §16 behaviour of the engine over the real transaction layer, without sockets. */
class ProxyEngineTest {
    private ProxyHarness proxy = new ProxyHarness("sip:127.0.0.1:5070");

    @AfterEach
    void close() {
        proxy.close();
    }

    @Test
    void inviteIsForwardedWithViaRecordRouteAndMaxForwards() {
        proxy.receive(invite("c1"), FROM_UAC);

        assertEquals(List.of(100), proxy.statusesTo(UAC), "100 Trying goes upstream at once");
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        Via top = (Via) out.getViaHeaders().getFirst();
        assertEquals("127.0.0.1", top.getHost());
        assertEquals(5060, top.getPort());
        assertTrue(top.getBranch().startsWith("z9hG4bK"), top.getBranch());
        assertEquals(2, out.getViaHeaders().size());
        assertEquals(69, ((MaxForwardsHeader) out.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        String rr = out.getHeader("Record-Route").toString();
        assertTrue(rr.contains("127.0.0.1:5060") && rr.contains("lr"), rr);
    }

    @Test
    void branchesToOneNextHopShareOneFlow() {
        proxy.receive(invite("c-flow-1"), FROM_UAC);
        proxy.receive(invite("c-flow-2"), FROM_UAC);

        List<RecordingTransport.Sent> invites = proxy.sentTo(UAS).stream().filter(s -> s.isRequest("INVITE")).toList();
        assertEquals(2, invites.size());
        assertSame(invites.get(0).flow(), invites.get(1).flow(), "each call resolves the hop anew, the flow is shared");
    }

    @Test
    void provisionalAndSuccessGoUpstreamWithoutOurVia() {
        proxy.receive(invite("c2"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");

        proxy.receive(answer(out, 100, null), FROM_UAS);
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);

        assertEquals(List.of(100, 180, 200), proxy.statusesTo(UAC), "the UAS's 100 is absorbed");
        SIPResponse ok = (SIPResponse) proxy.sentTo(UAC).get(2).message();
        assertEquals(1, ok.getViaHeaders().size());
        assertEquals("z9hG4bK-uac-c2", ((Via) ok.getViaHeaders().getFirst()).getBranch());
    }

    @Test
    void failureIsAckedHopByHopAndForwarded() {
        proxy.receive(invite("c3"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");

        proxy.receive(answer(out, 486, "b1"), FROM_UAS);

        SIPRequest ack = proxy.lastRequest(UAS, "ACK");
        assertEquals(((Via) out.getViaHeaders().getFirst()).getBranch(), ((Via) ack.getViaHeaders().getFirst()).getBranch());
        assertEquals(List.of(100, 486), proxy.statusesTo(UAC));
    }

    @Test
    void cancelAfterRingingIsAnsweredAndRelayedWithTheInviteBranch() {
        SIPRequest invite = invite("c4");
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);

        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);

        assertEquals(List.of(100, 180, 200), proxy.statusesTo(UAC), "200 answers the CANCEL itself");
        SIPRequest cancel = proxy.lastRequest(UAS, "CANCEL");
        assertEquals(((Via) out.getViaHeaders().getFirst()).getBranch(), ((Via) cancel.getViaHeaders().getFirst()).getBranch());
        proxy.receive(answer(out, 487, "b1"), FROM_UAS);
        assertEquals(List.of(100, 180, 200, 487), proxy.statusesTo(UAC));
    }

    @Test
    void cancelMatchingNothingGets481() {
        proxy.receive(ProxyHarness.cancelOf(invite("c5")), FROM_UAC);
        assertEquals(List.of(481), proxy.statusesTo(UAC));
    }

    @Test
    void noAnswerTimesOutAs408AndLeavesNoTransaction() {
        proxy.receive(invite("c6"), FROM_UAC);
        proxy.advance(TIMERS.t1().multipliedBy(64));
        assertEquals(List.of(100, 408), proxy.statusesTo(UAC));
        proxy.advance(Duration.ofSeconds(64));
        assertEquals(0, proxy.layer.activeTransactions());
    }

    @Test
    void transportFailureAnswers500() {
        proxy.receive(invite("c7"), FROM_UAC);
        proxy.wire.failLast();
        assertEquals(List.of(100, 500), proxy.statusesTo(UAC), () -> proxy.wire.sent().toString());
    }

    @Test
    void forkingPicksTheBestFinalResponseWhenAllBranchesAnswered() {
        proxy.close();
        proxy = new ProxyHarness("sip:127.0.0.1:5070", "sip:127.0.0.1:5072");
        proxy.receive(invite("c8"), FROM_UAC);
        SIPRequest a = proxy.lastRequest(UAS, "INVITE");
        SIPRequest b = proxy.lastRequest(UAS2, "INVITE");
        assertNotEquals(((Via) a.getViaHeaders().getFirst()).getBranch(), ((Via) b.getViaHeaders().getFirst()).getBranch());

        proxy.receive(answer(a, 503, "x"), FROM_UAS);
        assertEquals(List.of(100), proxy.statusesTo(UAC), "nothing final until every branch answered");
        proxy.receive(answer(b, 486, "y"), FROM_UAS2);
        assertEquals(List.of(100, 486), proxy.statusesTo(UAC), "4xx beats 5xx");
    }

    @Test
    void sixHundredCancelsTheOtherBranches() {
        proxy.close();
        proxy = new ProxyHarness("sip:127.0.0.1:5070", "sip:127.0.0.1:5072");
        proxy.receive(invite("c9"), FROM_UAC);
        SIPRequest a = proxy.lastRequest(UAS, "INVITE");
        SIPRequest b = proxy.lastRequest(UAS2, "INVITE");
        proxy.receive(answer(b, 180, "y"), FROM_UAS2);

        proxy.receive(answer(a, 603, "x"), FROM_UAS);

        assertNotNull(proxy.lastRequest(UAS2, "CANCEL"));
        proxy.receive(answer(b, 487, "y"), FROM_UAS2);
        assertEquals(603, proxy.statusesTo(UAC).get(proxy.statusesTo(UAC).size() - 1));
    }

    @Test
    void sequentialRequestFollowsOurRouteToTheRemoteTarget() {
        SIPRequest bye = (SIPRequest) parse("""
                BYE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bye1
                Route: <sip:127.0.0.1:5060;lr>
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a1
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: d1
                CSeq: 2 BYE
                Content-Length: 0

                """);
        proxy.receive(bye, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "BYE");
        assertEquals(null, out.getHeader("Route"), "our Route entry is consumed");
        assertEquals(null, out.getHeader("Record-Route"), "no Record-Route on sequential requests");
        proxy.receive(answer(out, 200, null), FROM_UAS);
        assertEquals(List.of(200), proxy.statusesTo(UAC));
    }

    @Test
    void sequentialRequestWithoutRouteGets481() {
        proxy.receive(parse("""
                BYE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bye2
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a1
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: d2
                CSeq: 2 BYE
                Content-Length: 0

                """), FROM_UAC);
        assertEquals(List.of(481), proxy.statusesTo(UAC));
    }

    @Test
    void ackForSuccessIsRelayedStatelessly() {
        proxy.receive(parse("""
                ACK sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-ack1
                Route: <sip:127.0.0.1:5060;lr>
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a1
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: d3
                CSeq: 1 ACK
                Content-Length: 0

                """), FROM_UAC);
        SIPRequest ack = proxy.lastRequest(UAS, "ACK");
        assertEquals(2, ack.getViaHeaders().size());
        assertEquals(0, proxy.layer.activeTransactions(), "a 2xx ACK creates no transaction");
    }

    @Test
    void optionsForUsIsAnswered200() {
        proxy.receive(parse("""
                OPTIONS sip:127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-opt1
                Max-Forwards: 70
                From: <sip:mon@127.0.0.1:5061>;tag=m1
                To: <sip:127.0.0.1:5060>
                Call-ID: o1
                CSeq: 1 OPTIONS
                Content-Length: 0

                """), FROM_UAC);
        assertEquals(List.of(200), proxy.statusesTo(UAC));
    }

    @Test
    void requestForUsWithNoMatchingRouteGets404() {
        proxy.receive(parse("""
                SUBSCRIBE sip:carol@127.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-sub1
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=s1
                To: <sip:carol@127.0.0.1:5060>
                Call-ID: s1
                CSeq: 1 SUBSCRIBE
                Event: presence
                Content-Length: 0

                """), FROM_UAC);
        assertEquals(List.of(404), proxy.statusesTo(UAC));
    }

    @Test
    void everyTransactionEndsAfterACompleteCall() {
        proxy.receive(invite("c10"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        proxy.advance(TIMERS.t1().multipliedBy(64).plusSeconds(1));
        assertEquals(0, proxy.layer.activeTransactions());
        assertEquals(0, proxy.timer.pendingCount(), "no timer left behind");
    }

    @Test
    void contextDropsItsMessagesOnceTheAnswerIsOutAndEveryBranchIsDone() {
        SIPRequest invite = invite("c11");
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        ServerTransaction server = proxy.layer.findInviteForCancel(ProxyHarness.cancelOf(invite));
        ResponseContext context = (ResponseContext) server.attachment();
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        assertNotNull(context.original(), "kept while the branch may still need a CANCEL or a 408");

        proxy.receive(answer(out, 200, "b1"), FROM_UAS);

        assertEquals(null, context.original(), "released while the transactions linger for 64*T1");
        assertEquals(null, server.attachment(), "the lingering server transaction no longer holds the context");
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        assertEquals(List.of(100, 180, 200, 200), proxy.statusesTo(UAC), "a 2xx retransmission still goes upstream");
    }

    /**
     * Once the 200 went upstream and the branch is done, the INVITE's transactions settle: they end
     * and the layer keeps only the server's key until Timer L. A retransmitted INVITE is still
     * absorbed, a 2xx retransmission still goes upstream (as a stray, by its Via), and a CANCEL that
     * crossed the 200 is still answered 200 and goes no further.
     */
    @Test
    void anAnsweredInviteSettlesAndStillAbsorbsRelaysAndAnswersACrossedCancel() {
        SIPRequest invite = invite("c13");
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);

        assertEquals(1, proxy.layer.activeTransactions(), "both transactions ended; the server's key is kept");
        assertNull(proxy.layer.findInviteForCancel(ProxyHarness.cancelOf(invite)));
        proxy.receive(invite("c13"), FROM_UAC);
        assertEquals(1, proxy.sentTo(UAS).stream().filter(s -> s.isRequest("INVITE")).count(), "retransmitted INVITE absorbed");
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        assertEquals(List.of(100, 180, 200, 200), proxy.statusesTo(UAC), "the 2xx retransmission goes upstream");
        assertEquals(0.0, proxy.registry.get("sipedge_messages_dropped").counter().count(), "relayed, not dropped");
        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);
        assertEquals(List.of(100, 180, 200, 200, 200), proxy.statusesTo(UAC), "the crossed CANCEL is answered 200");
        assertEquals(0, proxy.sentTo(UAS).stream().filter(s -> s.isRequest("CANCEL")).count());

        proxy.advance(TIMERS.t1().multipliedBy(64).plusSeconds(1));
        assertEquals(0, proxy.layer.activeTransactions());
        assertEquals(0, proxy.timer.pendingCount(), "no timer left behind");
        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);
        assertEquals(481, proxy.statusesTo(UAC).get(5), "after Timer L the INVITE is forgotten");
    }

    /**
     * A caller whose Via does not lead back to where its INVITE came from (here another port and
     * no rport) would not get later 2xx relayed as strays by that Via: its transactions do not
     * settle and carry them along the flow, as before.
     */
    @Test
    void anInviteWhoseViaDoesNotLeadBackDoesNotSettle() {
        SIPRequest invite = (SIPRequest) parse(invite("c15").encode().replace("\r\n", "\n")
                .replace("127.0.0.1:5061;branch=z9hG4bK-uac-c15;rport", "127.0.0.1:5099;branch=z9hG4bK-uac-c15"));
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);

        assertNotNull(proxy.layer.findInviteForCancel(ProxyHarness.cancelOf(invite)), "not settled");
        proxy.receive(answer(out, 200, "b1"), FROM_UAS);
        assertEquals(List.of(100, 200, 200), proxy.statusesTo(UAC), "the retransmission still goes by the flow");
    }

    /**
     * A branch whose CANCEL still waits for its 487 may yet answer 2xx (the CANCEL crossed it); that
     * 2xx must go upstream through the server transaction, so nothing settles while it waits.
     */
    @Test
    void nothingSettlesWhileACancelledBranchMayStillAnswer() {
        proxy.close();
        InetSocketAddress uas3 = new InetSocketAddress("127.0.0.1", 5074);
        proxy = new ProxyHarness("sip:127.0.0.1:5070", "sip:127.0.0.1:5072", "sip:127.0.0.1:5074");
        SIPRequest invite = invite("c14");
        proxy.receive(invite, FROM_UAC);
        SIPRequest a = proxy.lastRequest(UAS, "INVITE");
        SIPRequest b = proxy.lastRequest(UAS2, "INVITE");
        SIPRequest c = proxy.lastRequest(uas3, "INVITE");
        Flow fromUas3 = new Flow(TransportKind.UDP, ProxyHarness.PROXY, uas3);
        proxy.receive(answer(a, 180, "x"), FROM_UAS);
        proxy.receive(answer(b, 180, "y"), FROM_UAS2);
        proxy.receive(answer(a, 200, "x"), FROM_UAS);       // b is cancelled; c, without a 1xx, counts as 487
        proxy.receive(answer(c, 180, "z"), fromUas3);       // c's CANCEL goes out now
        proxy.receive(answer(b, 487, "y"), FROM_UAS2);      // every branch done: the context is released
        assertNotNull(proxy.lastRequest(uas3, "CANCEL"));

        proxy.receive(answer(c, 200, "z"), fromUas3);       // crossed its CANCEL

        assertEquals(List.of(100, 180, 180, 200, 200), proxy.statusesTo(UAC), "the late 2xx goes upstream too");
        assertNotNull(proxy.layer.findInviteForCancel(ProxyHarness.cancelOf(invite)), "not settled");
    }

    @Test
    void cancelBeforeAnyProvisionalAnswers487AtOnceAndCancelsTheCalleeOnItsFirst1xx() {
        SIPRequest invite = invite("c12");
        proxy.receive(invite, FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");

        proxy.receive(ProxyHarness.cancelOf(invite), FROM_UAC);
        assertEquals(List.of(100, 200, 487), proxy.statusesTo(UAC), "200 for the CANCEL, 487 without waiting");
        assertEquals(0, proxy.sentTo(UAS).stream().filter(s -> s.isRequest("CANCEL")).count(), "§9.1: no CANCEL before a 1xx");

        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        SIPRequest cancel = proxy.lastRequest(UAS, "CANCEL");
        assertEquals(((Via) out.getViaHeaders().getFirst()).getBranch(), ((Via) cancel.getViaHeaders().getFirst()).getBranch());
        assertEquals(List.of(100, 200, 487), proxy.statusesTo(UAC), "the late 180 is not relayed after the final");
    }

    @Test
    void anUnusableRouteIsAnsweredAndLeavesNoTransaction() {
        proxy.receive(parse("""
                INVITE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-badroute
                Route: <sip:127.0.0.1:99999;lr>
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-br
                To: <sip:bob@127.0.0.1:5070>
                Call-ID: badroute
                CSeq: 1 INVITE
                Content-Length: 0

                """), FROM_UAC);
        assertEquals(List.of(100, 404), proxy.statusesTo(UAC));
        proxy.advance(TIMERS.t1().multipliedBy(64).plusSeconds(1));
        assertEquals(0, proxy.layer.activeTransactions());
    }

    @Test
    void aRequestThatComesBackUnchangedIsALoop482() {
        proxy.receive(invite("c13"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        // the next hop sends it straight back to us, unchanged but for its own Via
        SIPRequest looped = (SIPRequest) parse(out.encode().replace("\r\n", "\n").replaceFirst("Via: ",
                "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-loop1,"));
        proxy.receive(looped, FROM_UAS);
        assertEquals(List.of(482), proxy.statusesTo(UAS), "§16.3 step 4: 482 Loop Detected, not 483");
    }

    @Test
    void whenUpstreamFailsTheRingingCalleeIsCancelled() {
        proxy.receive(invite("c14"), FROM_UAC);
        SIPRequest out = proxy.lastRequest(UAS, "INVITE");
        proxy.receive(answer(out, 180, "b1"), FROM_UAS);
        proxy.wire.failLast();   // relaying the 180 upstream failed: the server transaction ends

        assertNotNull(proxy.lastRequest(UAS, "CANCEL"));
    }
}

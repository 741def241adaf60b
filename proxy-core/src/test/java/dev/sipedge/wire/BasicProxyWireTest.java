package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call through a real sipedge over real sockets, the same scenario body over UDP and over TCP
 * (RFC 3261 §16: 100 Trying, Via and Record-Route on the way out, Via removed on the way back,
 * loose routing of ACK and BYE with the Record-Route set), and the liveness OPTIONS of DESIGN.md.
 */
@Tag("e2e")
class BasicProxyWireTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    private static final Map<WireTransport, WireProxy> PROXIES = new EnumMap<>(WireTransport.class);

    @BeforeAll
    static void startProxies() {
        for (WireTransport t : WireTransport.values()) {
            PROXIES.put(t, WireProxy.start(t));
        }
    }

    @AfterAll
    static void stopProxies() {
        PROXIES.values().forEach(WireProxy::close);
    }

    @ParameterizedTest(name = "call over {0}")
    @EnumSource(WireTransport.class)
    void callIsRelayedBothWays(WireTransport transport) {
        WireProxy proxy = PROXIES.get(transport);
        try (UacStub uac = proxy.uac()) {
            Calls.basicCall(proxy, uac);
        }
        proxy.awaitNoTransactions(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "OPTIONS to the proxy over {0}")
    @EnumSource(WireTransport.class)
    void optionsToTheProxyItselfIsAnswered200(WireTransport transport) {
        WireProxy proxy = PROXIES.get(transport);
        try (UacStub uac = proxy.uac()) {
            String branch = "z9hG4bK" + Messages.unique("opt");
            String callId = Messages.unique("options");
            uac.send(Messages.message("OPTIONS sip:" + proxy.hostPort() + transport.uriParam() + " SIP/2.0", List.of(
                    Messages.via(transport, uac, branch),
                    "Max-Forwards: 70",
                    "From: <sip:monitor@127.0.0.1>;tag=m1",
                    "To: <sip:" + proxy.hostPort() + ">",
                    "Call-ID: " + callId,
                    "CSeq: 1 OPTIONS"), ""));
            RawSip answer = uac.receive(WAIT);
            assertNotNull(answer, "no answer to OPTIONS");
            assertEquals(200, answer.status(), answer::toString);
            assertEquals(callId, answer.callId());
            assertEquals(branch, RawSip.branchOf(answer.topVia()));
            assertEquals(1, answer.values("via").size(), answer::toString);
            assertNotNull(answer.header("to"));
            assertTrue(answer.header("to").contains("tag="), "our 200 needs a To tag (§8.2.6.2)");
            // a liveness check stops at the proxy
            assertNull(proxy.uas.next(Duration.ofMillis(200)), "OPTIONS for the proxy must not be relayed");
        }
    }
    /**
     * RFC 3261 §17.2.2 over UDP: a retransmitted non-INVITE request after its final gets that
     * final again, byte for byte, from the proxy (which keeps it as bytes until Timer J) and is
     * not relayed again; after Timer J the same request is a new transaction and is relayed.
     */
    @Test
    void aRetransmittedNonInviteRequestIsAnsweredWithTheKeptFinalUntilTimerJ() {
        WireProxy proxy = PROXIES.get(WireTransport.UDP);
        try (UacStub uac = proxy.uac()) {
            String callId = Messages.unique("message");
            byte[] request = Messages.message("MESSAGE sip:bob@example.com SIP/2.0", List.of(
                    Messages.via(WireTransport.UDP, uac, "z9hG4bK" + Messages.unique("msg")), "Max-Forwards: 70",
                    "From: <sip:alice@127.0.0.1>;tag=a1", "To: <sip:bob@example.com>", "Call-ID: " + callId,
                    "CSeq: 1 MESSAGE", "Content-Type: text/plain"), "hello");
            uac.send(request);
            UasStub.Received relayed = Calls.nextRequest(proxy.uas, "MESSAGE", callId);
            relayed.reply(Messages.response(relayed.message(), 200, "OK", "b1", List.of()));
            RawSip first = Calls.nextResponse(uac, callId);
            assertEquals(200, first.status(), first::toString);
            double retransmissions = proxy.retransmissions();

            uac.send(request);
            RawSip again = Calls.nextResponse(uac, callId);
            assertEquals(first.toString(), again.toString(), "the same final, byte for byte");
            assertEquals(retransmissions + 1, proxy.retransmissions(), "counted as a retransmission");
            assertNull(proxy.uas.next(Duration.ofMillis(200)), "absorbed by the proxy, not relayed again");

            proxy.awaitNoTransactions(Duration.ofSeconds(5)); // Timer J is 64*T1 = 1.28 s here
            uac.send(request);
            UasStub.Received anew = Calls.nextRequest(proxy.uas, "MESSAGE", callId);
            anew.reply(Messages.response(anew.message(), 200, "OK", "b1", List.of()));
            assertEquals(200, Calls.nextResponse(uac, callId).status());
        }
        proxy.awaitNoTransactions(Duration.ofSeconds(5));
    }
}

package dev.sipedge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our own malformed messages ({@code src/test/resources/malformed}, byte exact; the README there
 * is the same table in prose) sent over UDP and over TCP to a real sipedge: each gets the outcome
 * DESIGN.md "What bad input gets" asks for, the meters move, and after the whole corpus a call
 * still goes through and no transaction is left behind.
 */
@Tag("e2e")
class MalformedMessagesWireTest {

    /** One row: file, UDP outcome, TCP outcome, UDP meters, TCP meters, why. */
    record Row(String file, Expectation udp, Expectation tcp, String why) {
        Expectation on(WireTransport t) {
            return t == WireTransport.UDP ? udp : tcp;
        }
    }

    private static Row row(String file, String udp, String tcp, String udpMeters, String tcpMeters, String why) {
        return new Row(file, new Expectation(udp, udpMeters), new Expectation(tcp, tcpMeters), why);
    }

    static final List<Row> TABLE = List.of(
            row("bad-start-line-garbage.sip", "400", "400", "P", "P", "unparseable Request-Line; Via usable, so 400 (§21.4.1)"),
            row("bad-start-line-no-uri.sip", "400", "400", "P", "P", "Request-Line without Request-URI"),
            row("bad-start-line-no-version.sip", "400", "400", "P", "P", "Request-Line without SIP-Version"),
            row("bad-status-line-code.sip", "DROP", "DROP", "P", "P", "4-digit status code; a response is never answered"),
            row("missing-via.sip", "DROP", "DROP", "D", "D", "no Via: nowhere to send a response (§18.2.2)"),
            row("missing-from.sip", "400", "400", "-", "-", "§8.1.1 mandatory header missing; Via usable, so 400"),
            row("missing-to.sip", "400", "400", "-", "-", "§8.1.1 mandatory header missing; Via usable, so 400"),
            row("missing-call-id.sip", "400", "400", "-", "-", "§8.1.1 mandatory header missing; Via usable, so 400"),
            row("missing-cseq.sip", "400|DROP", "400|DROP", "-", "-", "no CSeq: a 400 could not be matched (§17.1.3), dropping is fine"),
            row("broken-via.sip", "DROP", "DROP", "P", "P", "Via without sent-by host: unparseable and no response address"),
            row("content-length-larger.sip", "400", "INCOMPLETE", "P", "-",
                    "UDP: body shorter than Content-Length is an error (§18.3); TCP: the proxy waits for the rest, closes at EOF"),
            row("content-length-smaller.sip", "RELAYED", "RELAYED+close", "P0", "P",
                    "UDP: extra bytes discarded (§18.3); TCP: they start a next message without Content-Length: framing lost, close"),
            row("content-length-negative.sip", "400", "400+close", "P", "P", "Content-Length is 1*DIGIT; TCP framing lost, close"),
            row("binary-junk.bin", "DROP", "DROP+close", "P", "P", "512 random bytes (no CR/LF) then CRLFCRLF: nothing to answer"),
            row("header-without-colon.sip", "400|RELAYED", "400|RELAYED", "-", "-",
                    "no HCOLON (§7.3.1); §16.3 lets a proxy ignore malformed parts it does not use"),
            row("cseq-method-mismatch.sip", "400", "400", "P0", "P0", "CSeq method differs from the request method (§8.1.1.5)"),
            row("max-forwards-zero.sip", "483", "483", "P0", "P0", "§16.3 step 3: Max-Forwards 0 for someone else: 483"),
            row("cseq-negative.sip", "400|DROP", "400|DROP", "P", "P", "CSeq is 1*DIGIT; without a usable CSeq a 400 cannot be matched"),
            row("cseq-huge.sip", "400|DROP", "400|DROP", "-", "-", "CSeq number must be < 2^31 (§8.1.1.5)"),
            row("max-forwards-huge.sip", "400", "400", "-", "-", "Max-Forwards above 255 (RFC 4475 §3.1.2.4 calls 300 invalid)"),
            row("proxy-require-unknown.sip", "420", "420", "P0", "P0", "§16.3 step 5: unknown Proxy-Require: 420 with Unsupported"),
            row("version-sip-3.sip", "505", "505", "P0", "P0", "SIP/3.0 on the Request-Line (§8.2.2 / §21.5.6)"));

    @TestFactory
    Stream<DynamicNode> corpusOverEveryTransport() {
        return Stream.of(WireTransport.values()).map(t -> DynamicContainer.dynamicContainer(t.name(), corpus(t)));
    }

    private static Stream<DynamicNode> corpus(WireTransport transport) {
        List<DynamicNode> tests = new ArrayList<>();
        WireProxy[] proxy = new WireProxy[1];
        tests.add(dynamicTest("start sipedge over " + transport, () -> proxy[0] = WireProxy.start(transport)));
        for (Row row : TABLE) {
            Expectation expected = row.on(transport);
            tests.add(dynamicTest(row.file() + " over " + transport + " -> " + expected.outcome(), () -> {
                assertNotNull(proxy[0], "proxy did not start");
                byte[] bytes = resource(row.file());
                Exchange.Observed observed = Exchange.run(proxy[0], bytes, proxy[0]::uac, expected.halfClose());
                System.out.println("WIRE-OUTCOME malformed " + transport + " " + row.file() + " expected="
                        + expected.outcome() + " observed=" + observed.describe().replace('\n', ' '));
                expected.assertMatches(row.file() + " over " + transport, observed);
                if (observed.outcome().startsWith("420")) {
                    String unsupported = observed.responses().get(observed.responses().size() - 1).header("unsupported");
                    assertEquals("wire-unknown-extension", unsupported, "420 names the option (§16.3 step 5)");
                }
            }));
        }
        tests.add(dynamicTest("after the corpus over " + transport + ": a call still goes through, no transaction leaks",
                () -> {
                    assertNotNull(proxy[0], "proxy did not start");
                    try {
                        stillServes(proxy[0]);
                    } finally {
                        proxy[0].close();
                    }
                }));
        return tests.stream();
    }

    static void stillServes(WireProxy proxy) {
        proxy.uas.autoAnswer(false);
        proxy.uas.drain();
        try (UacStub uac = proxy.uac()) {
            Calls.basicCall(proxy, uac);
        }
        // 64*T1 = 1.28 s: Timer H/F/J of everything above have fired well within this
        proxy.awaitNoTransactions(Duration.ofSeconds(10));
    }

    /** RFC 3261 §21.5.14 over a stream: a 70 KB message (over the 65535 default) gets 513, then the connection closes. */
    @Test
    @Tag("e2e")
    void oversizedMessageOverTcpGets513ThenClose() {
        try (WireProxy proxy = WireProxy.start(WireTransport.TCP)) {
            for (boolean bigHeader : new boolean[] {false, true}) {
                String callId = Messages.unique(bigHeader ? "big-header" : "big-body");
                double parse0 = proxy.parseErrors();
                try (UacStub uac = proxy.uac()) {
                    byte[] big = bigMessage(WireTransport.TCP, uac, callId, 70 * 1024, bigHeader);
                    assertTrue(big.length > 70_000);
                    sendTolerantly(uac, big);
                    RawSip answer = uac.receive(Exchange.WAIT);
                    assertNotNull(answer, "no 513 for a " + big.length + "-byte message");
                    assertEquals(513, answer.status(), answer::toString);
                    assertEquals(callId, answer.callId());
                    assertTrue(uac.closedByPeer(Exchange.WAIT), "connection must close after 513");
                }
                assertEquals(1.0, proxy.parseErrors() - parse0, "an oversized message counts as a parse error");
                assertTrue(proxy.uas.drain().isEmpty(), "nothing of it may reach the UAS");
            }
            stillServes(proxy);
        }
    }

    /**
     * UDP cannot carry 70 KB (65507 bytes is the largest IPv4 datagram, under the 65535 default), so
     * the datagram rule is shown with {@code max-message-size = 4096} and a 5000-byte datagram.
     */
    @Test
    @Tag("e2e")
    void datagramOverConfiguredLimitGets513() {
        try (WireProxy proxy = WireProxy.start(WireTransport.UDP, "transport { max-message-size = 4096 }")) {
            String callId = Messages.unique("big-datagram");
            double parse0 = proxy.parseErrors();
            try (UacStub uac = proxy.uac()) {
                byte[] big = bigMessage(WireTransport.UDP, uac, callId, 5000, false);
                uac.send(big);
                RawSip answer = Calls.nextResponse(uac, callId);
                assertEquals(513, answer.status(), answer::toString);
            }
            assertEquals(1.0, proxy.parseErrors() - parse0);
            assertTrue(proxy.uas.drain().isEmpty(), "nothing of it may reach the UAS");
            stillServes(proxy);
        }
    }

    @Test
    void readmeAndDirectoryMatchTheTable() throws IOException {
        String readme = new String(resource("README.md"), StandardCharsets.UTF_8);
        TreeSet<String> inTable = TABLE.stream().map(Row::file).collect(Collectors.toCollection(TreeSet::new));
        for (String file : inTable) {
            assertTrue(readme.contains("`" + file + "`"), "README.md must describe " + file);
        }
        TreeSet<String> onDisk = new TreeSet<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(resourceUrl("README.md")).getParent())) {
            files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).forEach(onDisk::add);
        }
        assertEquals(inTable, onDisk, "every file in malformed/ needs a row, and every row a file");
        assertFalse(inTable.isEmpty());
    }

    /** An INVITE of about {@code size} bytes: a big body, or (bigHeader) a big header after the mandatory ones. */
    private static byte[] bigMessage(WireTransport t, UacStub uac, String callId, int size, boolean bigHeader) {
        List<String> headers = new ArrayList<>(List.of(
                Messages.via(t, uac, "z9hG4bK" + Messages.unique("big")), "Max-Forwards: 70",
                "From: <sip:alice@wire.invalid>;tag=big", "To: <sip:bob@example.com>", "Call-ID: " + callId,
                "CSeq: 1 INVITE"));
        String body = "";
        if (bigHeader) {
            headers.add("X-Padding: " + "p".repeat(size));
        } else {
            headers.add("Content-Type: text/plain");
            body = "b".repeat(size);
        }
        return Messages.message("INVITE sip:bob@example.com SIP/2.0", headers, body);
    }

    /** The proxy may close while we still write the tail of a message it already refused; that is fine. */
    private static void sendTolerantly(UacStub uac, byte[] bytes) {
        try {
            uac.send(bytes);
        } catch (UncheckedIOException e) {
            // reset by the proxy after its 513: the answer is already in our receive buffer
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = MalformedMessagesWireTest.class.getResourceAsStream("/malformed/" + name)) {
            assertNotNull(in, "missing test resource malformed/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI resourceUrl(String name) {
        try {
            return MalformedMessagesWireTest.class.getResource("/malformed/" + name).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

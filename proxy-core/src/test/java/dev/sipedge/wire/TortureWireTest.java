package dev.sipedge.wire;

import dev.sipedge.torture.TortureCorpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The RFC 4475 torture messages ({@link TortureCorpus}, byte exact) sent to a real
 * sipedge over UDP and over TCP, one dynamic test per file and transport, each asserting what RFC
 * 4475 expects of a proxy ({@link #TABLE}, one reason per file); then a call must still go
 * through and no transaction may be left.
 *
 * <p>Deviations of the test set-up, not of the proxy:
 * <ul>
 *   <li>UDP: the messages' Vias carry no {@code rport}, so a proxy answers to the Via's sent-by
 *       port (RFC 3261 §18.2.2), 5060 for most. To receive those answers without taking 5060 on
 *       127.0.0.1 (the benchmark's port), the UAC stub sends from {@code 127.0.0.2:<that port>}
 *       (loopback too): the proxy adds {@code received=127.0.0.2} and answers there.</li>
 *   <li>TCP: the bytes are sent as-is, Via transport ({@code UDP}) included; the answer comes
 *       back on the connection. Messages that rely on datagram framing behave as a stream
 *       requires instead: no Content-Length ({@code inv2543}) loses the framing (§18.3, 400 and
 *       close), a Content-Length larger than the body ({@code clerr}) waits for more bytes,
 *       {@code dblreq} is two messages and both are relayed.</li>
 *   <li>A Request-URI the catch-all route does not change goes to the UAS stub; a preloaded
 *       Route that is not ours ({@code wsinv}, {@code mpart01}) is followed, to a host that does
 *       not resolve or a port nobody listens on, so the proxy's final error is the evidence.</li>
 * </ul>
 */
@Tag("e2e")
class TortureWireTest {

    /** Outcome over UDP, over TCP, meters, and the reason (RFC 4475 section). */
    record Row(Expectation udp, Expectation tcp, String why) {
        Expectation on(WireTransport t) {
            return t == WireTransport.UDP ? udp : tcp;
        }
    }

    static final Map<String, Row> TABLE = new LinkedHashMap<>();

    private static void row(String file, String udp, String tcp, String meters, String why) {
        TABLE.put(file, new Row(new Expectation(udp, meters), new Expectation(tcp, meters), why));
    }

    private static void row(String file, String outcome, String meters, String why) {
        row(file, outcome, outcome, meters, why);
    }

    static {
        // §3.1.1 valid messages: a proxy relays them (or answers them where the routing says so)
        row("wsinv.dat", "404|408|480|503", "-", "§3.1.1.1 valid; in-dialog with a foreign Route: followed to services.example.com, which does not resolve");
        row("intmeth.dat", "RELAYED", "-", "§3.1.1.2 valid unusual method and URI characters");
        row("esc01.dat", "RELAYED", "-", "§3.1.1.3 valid escapes");
        row("escnull.dat", "RELAYED", "-", "§3.1.1.4 valid %00 in URIs");
        row("esc02.dat", "RELAYED", "-", "§3.1.1.5 escaped method name is just another method");
        row("lwsdisp.dat", "RELAYED", "-", "§3.1.1.6 display name without LWS before <");
        row("longreq.dat", "RELAYED", "-", "§3.1.1.7 long values everywhere");
        row("dblreq.dat", "RELAYED", "RELAYED+close", "-",
                "§3.1.1.8 UDP: REGISTER relayed, rest of the datagram ignored; TCP: REGISTER, INVITE, then 5 bytes beyond the INVITE's Content-Length: framing lost");
        row("semiuri.dat", "RELAYED", "-", "§3.1.1.9 semicolon in the user part");
        row("transports.dat", "RELAYED", "-", "§3.1.1.10 unknown Via transports below the top one");
        row("mpart01.dat", "408", "500", "-", "§3.1.1.11 valid multipart; preloaded Route to udp 127.0.0.1:5080: nobody answers (Timer F, 408);"
                + " a TCP-only proxy has no UDP transport: 503, sent as 500 (§16.7 step 6)");
        row("unreason.dat", "DROP", "D", "§3.1.1.12 valid response, but no transaction and a top Via not ours: discarded (§16.7)");
        row("noreason.dat", "DROP", "D", "§3.1.1.13 valid response without reason phrase; no transaction: discarded");
        // §3.1.2 invalid messages
        row("badinv01.dat", "400|DROP", "-", "§3.1.2.1 unparseable Via: 400 if it can be addressed at all");
        row("clerr.dat", "400", "INCOMPLETE", "-", "§3.1.2.2 Content-Length beyond the datagram: 400; on a stream, waits for the rest");
        row("scalar02.dat", "400", "-", "§3.1.2.3 CSeq 2^65, Max-Forwards 300: 400");
        row("scalarlg.dat", "DROP", "-", "§3.1.2.4 response with overlarge numbers: discarded");
        row("quotbal.dat", "400", "-", "§3.1.2.5 unterminated quoted string in To: 400");
        row("ltgtruri.dat", "400", "-", "§3.1.2.6 <> around the Request-URI: 400");
        row("lwsruri.dat", "400", "-", "§3.1.2.7 LWS inside the Request-URI: 400");
        row("lwsstart.dat", "400|RELAYED", "-", "§3.1.2.8 several SP in the Request-Line: reject or be liberal");
        row("trws.dat", "400|RELAYED", "-", "§3.1.2.9 SP after the version: reject or be liberal");
        row("escruri.dat", "400", "-", "§3.1.2.10 escaped headers in the Request-URI: must not be acted on, 400");
        row("baddate.dat", "RELAYED", "-", "§3.1.2.11 bad Date is none of a proxy's business: relay");
        row("regbadct.dat", "400|RELAYED", "-", "§3.1.2.12 Contact URI with ? outside <>: a proxy may ignore it (§16.3)");
        row("badaspec.dat", "400|RELAYED", "-", "§3.1.2.13 SP inside <> of To: reject or be liberal");
        row("baddn.dat", "400|RELAYED", "-", "§3.1.2.14 unquoted display name with a comma: reject or be liberal");
        row("badvers.dat", "505", "P0", "§3.1.2.15 SIP/7.0: 505");
        row("mismatch01.dat", "400", "P0", "§3.1.2.16 CSeq method differs from the method: 400");
        row("mismatch02.dat", "400", "P0", "§3.1.2.17 unknown method with CSeq INVITE: 400");
        row("bigcode.dat", "DROP", "-", "§3.1.2.18 status code 4294967301: discarded");
        // §3.2 transaction layer
        row("badbranch.dat", "RELAYED", "-", "§3.2.1 branch exactly z9hG4bK: process, match as RFC 2543 would");
        // §3.3 application layer
        row("insuf.dat", "400", "-", "§3.3.1 no To, From, Call-ID: not forwarded; Via and CSeq allow a 400");
        row("unkscm.dat", "416", "P0", "§3.3.2 unknown Request-URI scheme: 416 (RFC 3261 §16.3 step 2)");
        row("novelsc.dat", "416", "P0", "§3.3.3 soap.beep Request-URI: 416");
        row("unksm2.dat", "RELAYED", "-", "§3.3.4 unknown schemes in To/From/Contact are not a proxy's concern");
        row("bext01.dat", "420", "P0", "§3.3.5 unknown Proxy-Require: 420 with Unsupported");
        row("invut.dat", "RELAYED", "-", "§3.3.6 unknown body type is the UAS's problem");
        row("regaut01.dat", "RELAYED", "-", "§3.3.7 unknown authorization scheme is the registrar's problem");
        row("multi01.dat", "400", "-", "§3.3.8 several To/From/Call-ID/CSeq: 400");
        row("mcl01.dat", "400", "400+close", "-", "§3.3.9 two Content-Lengths: 400; on a stream the framing is lost too");
        row("bcast.dat", "DROP", "D", "§3.3.10 response with a broadcast Via: no transaction, discarded, never sent to 255.255.255.255");
        row("zeromf.dat", "483", "P0", "§3.3.11 Max-Forwards 0 on a request not for us: 483");
        // §3.4 backward compatibility
        row("cparam01.dat", "RELAYED", "-", "§3.4.1 Contact parameter without <>: relay");
        row("cparam02.dat", "RELAYED", "-", "§3.4.2 Contact with <> and parameter: relay");
        row("regescrt.dat", "RELAYED", "-", "§3.4.3 escaped Route header in a Contact URI: relay");
        row("sdp01.dat", "RELAYED", "-", "§3.4.4 unknown Accept type: relay");
        row("inv2543.dat", "RELAYED", "400+close", "-", "§3.4.5 RFC 2543 INVITE; on TCP the missing Content-Length loses framing (§18.3)");
        row("ncl.dat", "400", "400+close", "-", "§3.1.2.? negative Content-Length: 400; on a stream the framing is lost");
        // not from RFC 4475: extra fixture of the source repository; no SIP-Version and no Via
        row("test.dat", "DROP", "-", "not RFC 4475: no Via, so nowhere to send a 400");
    }

    @TestFactory
    Stream<DynamicNode> everyTortureFileOverUdpAndTcp() {
        List<String> files = TortureCorpus.files();
        assertFalse(files.isEmpty(), "no .dat file in " + TortureCorpus.dir());
        assertEquals(new TreeSet<>(files), new TreeSet<>(TABLE.keySet()), "every torture file needs a row");
        return Stream.of(WireTransport.values()).map(t -> DynamicContainer.dynamicContainer(t.name(), corpus(t, files)));
    }

    private static Stream<DynamicNode> corpus(WireTransport transport, List<String> files) {
        List<DynamicNode> tests = new ArrayList<>();
        WireProxy[] proxy = new WireProxy[1];
        tests.add(dynamicTest("start sipedge over " + transport, () -> proxy[0] = WireProxy.start(transport)));
        Set<String> keysUsed = new HashSet<>();
        for (String file : files) {
            Row row = TABLE.get(file);
            String key = transactionKey(TortureCorpus.read(file));
            Expectation expected = row.on(transport);
            tests.add(dynamicTest(file + " over " + transport + " -> " + expected.outcome() + " (" + row.why() + ")", () -> {
                assertNotNull(proxy[0], "proxy did not start");
                byte[] bytes = TortureCorpus.read(file);
                WireProxy p = proxy[0];
                if (key != null && !keysUsed.add(key)) {
                    // RFC 4475 reuses branch and sent-by across files: a live transaction of an earlier
                    // file would rightly take this one for a retransmission (§17.2.3), so let it end first
                    p.awaitNoTransactions(Duration.ofSeconds(10));
                }
                boolean awaitFinal = expected.outcome().matches("\\d.*") && !expected.outcome().contains("DROP");
                Exchange.Observed observed = Exchange.run(p, bytes, () -> uac(p, bytes), expected.halfClose(), awaitFinal);
                System.out.println("WIRE-OUTCOME torture " + transport + " " + file + " expected=" + expected.outcome()
                        + " observed=" + observed.describe().replace('\n', ' '));
                expected.assertMatches(file + " over " + transport, observed);
            }));
        }
        tests.add(dynamicTest("after the torture files over " + transport + ": a call still goes through, no transaction leaks",
                () -> {
                    assertNotNull(proxy[0], "proxy did not start");
                    try {
                        MalformedMessagesWireTest.stillServes(proxy[0]);
                    } finally {
                        proxy[0].close();
                    }
                }));
        return tests.stream();
    }

    private static final Pattern BRANCH = Pattern.compile("(?i)branch\\s*=\\s*([^;,\\s]+)");

    /** Top Via branch and sent-by host of a file: what §17.2.3 server transaction matching keys on. */
    private static String transactionKey(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        Matcher via = VIA_LINE.matcher(end < 0 ? text : text.substring(0, end));
        if (!via.find()) {
            return null;
        }
        String first = via.group(1).replaceAll("\\r\\n[ \\t]+", " ").split(",")[0];
        Matcher branch = BRANCH.matcher(first);
        Matcher sentBy = SENT_BY.matcher(first);
        return (branch.find() ? branch.group(1) : "-") + "|" + (sentBy.find() ? sentBy.group(1).toLowerCase() : "-");
    }

    /** TCP: a fresh connection. UDP: a socket on 127.0.0.2 at the port the proxy will answer to. */
    private static UacStub uac(WireProxy proxy, byte[] bytes) {
        if (proxy.transport == WireTransport.TCP) {
            return proxy.uac();
        }
        return UacStub.udpBoundTo(proxy.address, new InetSocketAddress("127.0.0.2", responsePort(bytes)));
    }

    private static final Pattern VIA_LINE = Pattern.compile("(?im)^(?:via|v)[ \\t]*:((?:[^\\r\\n]*)(?:\\r\\n[ \\t][^\\r\\n]*)*)");
    private static final Pattern SENT_BY = Pattern.compile("SIP\\s*/\\s*[\\d.]+\\s*/\\s*\\w+\\s+([^;:\\s,]+)(?:\\s*:\\s*(\\d+))?");

    /** §18.2.2 for the top Via: its rport means any port (0), else its port, else 5060. */
    static int responsePort(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        Matcher via = VIA_LINE.matcher(end < 0 ? text : text.substring(0, end));
        if (!via.find()) {
            return 0;
        }
        String value = via.group(1).replaceAll("\\r\\n[ \\t]+", " ");
        String first = value.split(",")[0];
        if (first.matches("(?is).*;\\s*rport\\b.*")) {
            return 0;
        }
        Matcher sentBy = SENT_BY.matcher(first);
        return sentBy.find() && sentBy.group(2) != null ? Integer.parseInt(sentBy.group(2)) : 5060;
    }
}

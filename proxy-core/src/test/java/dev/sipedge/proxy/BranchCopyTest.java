package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sipedge.proxy.validation.BranchGenerator;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.torture.TortureCorpus;
import dev.sipedge.transaction.TransportKind;
import dev.sipedge.transport.LoopbackPipeline;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.RAck;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.header.RouteHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A branch's copy shares the headers forwarding never edits, so every edit a forwarded request
 * gets must leave the original as it was (it answers with local responses and hashes the branch),
 * and the copy must say exactly what a full clone says.
 */
class BranchCopyTest {
    private static final LocalInterfaces INTERFACES = new LocalInterfaces(List.of(
            new AbstractMap.SimpleImmutableEntry<>(TransportKind.UDP, new InetSocketAddress("127.0.0.1", 5060)),
            new AbstractMap.SimpleImmutableEntry<>(TransportKind.TCP, new InetSocketAddress("127.0.0.1", 5062))),
            null);
    // one generator: its branches carry a per-instance part
    private static final RequestForwarder FORWARDER = new RequestForwarder(new RecordRouter(), new BranchGenerator());
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";

    static List<String> requests() {
        List<String> all = new ArrayList<>();
        all.add("INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-1;rport, SIP/2.0/TCP 10.0.0.7;branch=z9hG4bK-x\r\n"
                + "Route: <sip:10.0.0.9;lr>, <sip:10.0.0.10;lr>\r\n"
                + "Record-Route: <sip:10.0.0.3;lr>\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: call-1@example.com\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:alice@10.0.0.1:5061>;expires=60\r\nX-Vendor: kept\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + SDP.length() + "\r\n\r\n" + SDP);
        all.add("PRACK sip:bob@10.0.0.2 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-2\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b1\r\n"
                + "Call-ID: call-1@example.com\r\nCSeq: 2 PRACK\r\nRAck: 1 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        for (String file : TortureCorpus.files()) {
            if (parse(TortureCorpus.read(file)).orElse(null) instanceof SIPRequest) {
                all.add(new String(TortureCorpus.read(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("requests")
    void theCopySaysWhatACloneSays(String text) {
        SIPRequest original = (SIPRequest) parse(text.getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
        SIPRequest clone = (SIPRequest) original.clone();
        SIPRequest copy = BranchCopy.of(original);
        assertEquals(clone.encode(), copy.encode());

        forward(clone, original);
        forward(copy, original);
        assertEquals(new String(LoopbackPipeline.encode(clone), StandardCharsets.ISO_8859_1),
                new String(LoopbackPipeline.encode(copy), StandardCharsets.ISO_8859_1),
                "forwarded, the copy leaves as the clone does (on its received bytes where it has them)");
    }

    private static void forward(SIPRequest copy, SIPRequest original) {
        FORWARDER.prepare(copy, original, 0,
                INTERFACES.outbound(TransportKind.UDP), INTERFACES.outbound(TransportKind.TCP), true,
                RouteParams.EMPTY.with("did", "a.b"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void everyForwardingEditLeavesTheOriginalAsItWas(String text) throws Exception {
        SIPRequest original = (SIPRequest) parse(text.getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
        String before = original.encode();
        Object receivedBytes = original.getApplicationData();

        SIPRequest copy = BranchCopy.of(original);
        forward(copy, original);
        if (copy.getRouteHeaders() != null && !copy.getRouteHeaders().isEmpty()) {
            // the Route edits of RFC 3261 §16.4 (in the proxy they happen on the original, before
            // any copy; here on the copy, to show its list is its own)
            copy.setRequestURI(((Route) copy.getRouteHeaders().getLast()).getAddress().getURI());
            copy.removeLast(RouteHeader.NAME);
            if (copy.getRouteHeaders() != null) {
                copy.removeFirst(RouteHeader.NAME);
            }
        }
        if (copy.getCSeq() != null) {
            copy.getCSeq().setSeqNumber(copy.getCSeq().getSeqNumber() + 5);
        }
        if (copy.getHeader(RAck.NAME) instanceof RAck rack) {
            rack.setCSequenceNumber(rack.getCSequenceNumber() + 5);
        }
        copy.setMessageContent("changed".getBytes(StandardCharsets.US_ASCII));

        assertEquals(before, original.encode());
        assertSame(receivedBytes, copy.getApplicationData(), "the copy forwards the received bytes");
    }

    @Test
    void theListsAreTheCopysOwnAndTheirValuesShared() throws Exception {
        SIPRequest original = (SIPRequest) parse(requests().get(0).getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
        SIPRequest copy = BranchCopy.of(original);
        assertNotSame(original.getViaHeaders(), copy.getViaHeaders());
        assertSame(original.getViaHeaders().getFirst(), copy.getViaHeaders().getFirst());
        assertNotSame(original.getRouteHeaders(), copy.getRouteHeaders());
        assertNotSame(original.getCSeq(), copy.getCSeq());
        assertNotSame(original.getMaxForwards(), copy.getMaxForwards());
        assertSame(original.getFrom(), copy.getFrom(), "what forwarding never edits is not copied");

        RouteList routes = copy.getRouteHeaders();
        routes.add((Route) new HeaderFactoryImpl().createRouteHeader(
                new AddressFactoryImpl().createAddress("<sip:10.0.0.11;lr>")));
        assertEquals(2, original.getRouteHeaders().size());
    }

    /** As the transport parses what it receives (received bytes kept). */
    private static Optional<SIPMessage> parse(byte[] bytes) {
        return LoopbackPipeline.parse(bytes);
    }
}

package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.message;
import static dev.sipedge.transport.SipFixtures.parsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sip.header.RouteHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forwarded requests written as their received bytes with the forwarding edits, against the
 * encoder they replace (issue 12): for crafted requests in every form the edits meet (lists,
 * folds, compact names, two Route entries of ours, no Max-Forwards) and for every request of the
 * torture and malformed corpus that parses cleanly, the edited bytes parse cleanly and say, header
 * by header, what the JAIN-SIP encoding of the same forwarded object says; the headers nobody
 * edits go out byte for byte.
 */
class RequestRelayEditTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final InetSocketAddress SOURCE = new InetSocketAddress("10.9.9.9", 5099);
    private static final String OURS = "proxy.test";
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static final String DIALOG = "From: \"Alice, A.\" <sip:alice@example.com>;tag=a1\r\n"
            + "To: <sip:bob@example.com>;tag=b1\r\nCall-ID: call-1@example.com\r\n";

    static List<String> crafted() {
        List<String> all = new ArrayList<>();
        all.add("INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-1;rport\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: call-1@example.com\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:alice@10.0.0.1:5061>\r\nX-Vendor-Thing:   spaced   out  \r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + SDP.length() + "\r\n\r\n" + SDP);
        all.add("BYE sip:bob@10.0.0.2:5070 SIP/2.0\r\n"
                + "v: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-2, SIP/2.0/TCP 10.0.0.7;branch=z9hG4bK-x\r\n"
                + "Route: <sip:" + OURS + ";lr;did=n1.1>, <sip:10.0.0.9;lr>\r\n" + DIALOG
                + "CSeq: 2 BYE\r\nMax-Forwards:    12   \r\nl: 0\r\n\r\n");
        all.add("ACK sip:bob@10.0.0.2:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-3\r\n"
                + "Route: <sip:" + OURS + ";lr;did=n1.1>\r\nRoute: <sip:" + OURS + ":5061;transport=tcp;lr>\r\n"
                + "Route: <sip:10.0.0.9;lr>\r\n" + DIALOG + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        all.add("INFO sip:bob@10.0.0.2:5070 SIP/2.0\r\n"
                + "VIA: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-4;received=10.9.9.9,\r\n"
                + " SIP/2.0/UDP 10.0.0.8:5060;branch=z9hG4bK-y\r\n"
                + "Route: <sip:" + OURS + ";lr>,\r\n <sip:" + OURS + ":5061;lr>, <sip:a,b@10.0.0.9;lr>\r\n" + DIALOG
                + "Subject: a folded\r\n  subject\r\nCSeq: 7 INFO\r\nMax-Forwards: 3\r\nContent-Length: 0\r\n\r\n");
        all.add("OPTIONS sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-5\r\n"
                + "Route: <sip:10.0.0.9;lr>\r\nRecord-Route: <sip:10.0.0.3;lr>, <sip:10.0.0.4;lr>\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\nCall-ID: call-5\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        return all;
    }

    /**
     * Every request of the corpora that parses cleanly (so carries its received bytes) and
     * declares its Content-Length (one without would not frame on a stream: it is encoded).
     */
    static List<String> corpusRequests() throws Exception {
        List<String> out = new ArrayList<>();
        for (Path file : MessageIndexDifferentialTest.corpus()) {
            byte[] m = framed(Files.readAllBytes(file));
            if (m != null && parsed(new SipMessageParser().parse(m, MessageIndexDifferentialTest.headerLength(m)))
                    .orElse(null) instanceof SIPRequest r
                    && ReceivedRequestBytes.of(r) != null && ViaSplice.declaresContentLength(m)) {
                out.add(new String(m, StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    static List<String> all() throws Exception {
        List<String> all = new ArrayList<>(crafted());
        all.addAll(corpusRequests());
        return all;
    }

    /**
     * The first message of {@code m}, framed by its Content-Length as the UDP decoder frames it,
     * or null where the decoder refuses the datagram (no blank line, a Content-Length that is not
     * a number or is larger than the bytes after the headers).
     */
    static byte[] framed(byte[] m) {
        if (!(SipFraming.frame(m) instanceof SipFraming.Framed framed)) {
            return null;
        }
        int available = m.length - framed.headerEnd();
        int bodyLength = framed.contentLength().orElse(available);
        return bodyLength > available ? null : Arrays.copyOf(m, framed.headerEnd() + bodyLength);
    }

    /**
     * What the proxy does to a request it forwards: the top Via stamped on receipt, our Route
     * entries removed (the top ones naming {@link #OURS}), then, on the branch's copy, Max-Forwards
     * minus one (70 when absent), our Record-Route on a request outside a dialog, and our Via.
     */
    static SIPRequest forwarded(String text) throws Exception {
        byte[] bytes = framed(text.getBytes(StandardCharsets.ISO_8859_1));
        assertNotNull(bytes, "the UDP decoder takes it: " + text);
        return forwarded(assertInstanceOf(SIPRequest.class,
                message(new SipMessageParser().parse(bytes, MessageIndexDifferentialTest.headerLength(bytes))), text));
    }

    /** {@link #forwarded(String)} of a parsed request (which it edits: the server side's copy). */
    static SIPRequest forwarded(SIPRequest received) throws Exception {
        ReceivedParameter.addTo(received, SOURCE);
        while (received.getRouteHeaders() != null && !received.getRouteHeaders().isEmpty()
                && ((Route) received.getRouteHeaders().getFirst()).getAddress().getURI().toString().contains(OURS)) {
            received.removeFirst(RouteHeader.NAME);
        }
        SIPRequest copy = (SIPRequest) received.clone();
        MaxForwards mf = (MaxForwards) copy.getMaxForwards();
        if (mf == null) {
            copy.setHeader(new MaxForwards(70));
        } else {
            mf.setMaxForwards(Math.max(0, mf.getMaxForwards() - 1));
        }
        HeaderFactoryImpl headers = new HeaderFactoryImpl();
        if (copy.getToTag() == null) {
            RecordRoute rr = (RecordRoute) headers.createRecordRouteHeader(
                    new AddressFactoryImpl().createAddress("<sip:" + OURS + ";lr;did=a.b>"));
            copy.addFirst(rr);
        }
        Via ours = (Via) headers.createViaHeader(OURS, 5060, "UDP", "z9hG4bK-ours-1");
        ours.setRPort();
        copy.getViaHeaders().addFirst(ours);
        return copy;
    }

    /** The edited bytes of {@code copy}, or null when the edit declines it. */
    static byte[] edited(SIPRequest copy) {
        if (RequestRelayEdit.edit(copy, ReceivedRequestBytes.of(copy), ALLOC) instanceof RequestRelayEdit.Edited edited) {
            try {
                return ByteBufUtil.getBytes(edited.wire());
            } finally {
                edited.wire().release();
            }
        }
        return null;
    }

    static byte[] encode(SIPMessage message) {
        ByteBuf buf = SipEncoder.encode(message, ALLOC);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** What {@code wire} says ({@link RelayCheck#headerByHeader}), once it is known to parse cleanly. */
    static Map<String, List<String>> headerByHeader(byte[] wire) {
        ParseOutcome parsed = new SipMessageParser().parse(wire, MessageIndexDifferentialTest.headerLength(wire));
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        SIPMessage message = assertInstanceOf(ParseOutcome.Parsed.class, parsed, text).message();
        assertNull(ParseDefects.of(assertInstanceOf(SIPRequest.class, message, text)), "parses cleanly: " + text);
        return RelayCheck.headerByHeader(wire);
    }

    @ParameterizedTest
    @MethodSource("all")
    void theEditedBytesSayWhatTheEncodedObjectSays(String text) throws Exception {
        SIPRequest copy = forwarded(text);
        ReceivedRequestBytes received = ReceivedRequestBytes.of(copy);
        assertNotNull(received, text);
        byte[] fromBytes = edited(copy);
        assertNotNull(fromBytes, "edited: " + text);
        assertEquals(new String(fromBytes, StandardCharsets.ISO_8859_1),
                new String(encode(copy), StandardCharsets.ISO_8859_1), "the encoder writes the edit");

        ReceivedBytes.forget(copy);
        byte[] fromObject = encode(copy);
        assertEquals(headerByHeader(fromObject), headerByHeader(fromBytes), new String(fromBytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void headersNobodyEditsGoOutByteForByte() throws Exception {
        String text = crafted().get(0);
        String wire = new String(encode(forwarded(text)), StandardCharsets.ISO_8859_1);
        String head = "INVITE sip:bob@example.com SIP/2.0\r\n"
                + "Record-Route: <sip:" + OURS + ";lr;did=a.b>\r\n"
                + "Via: SIP/2.0/UDP " + OURS + ":5060;branch=z9hG4bK-ours-1;rport\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-1;rport=5099;received=10.9.9.9\r\n";
        String rest = text.substring(text.indexOf("From:")).replace("Max-Forwards: 70", "Max-Forwards: 69");
        assertEquals(head + rest, wire);
    }

    @Test
    void ourRouteEntriesAreCutAndAddedValuesJoinTheirLists() throws Exception {
        String bye = new String(encode(forwarded(crafted().get(1))), StandardCharsets.ISO_8859_1);
        assertTrue(bye.contains("\r\nRoute: <sip:10.0.0.9;lr>\r\n"), bye);
        assertTrue(bye.contains("\r\nMax-Forwards:    11   \r\n"), bye);
        String ack = new String(encode(forwarded(crafted().get(2))), StandardCharsets.ISO_8859_1);
        assertTrue(ack.contains("\r\nRoute: <sip:10.0.0.9;lr>\r\n") && !ack.contains(OURS + ";lr;did"), ack);
        assertTrue(ack.contains("\r\nMax-Forwards: 70\r\n"), "added when absent: " + ack);
        String info = new String(encode(forwarded(crafted().get(3))), StandardCharsets.ISO_8859_1);
        assertTrue(info.contains("\r\nRoute: <sip:a,b@10.0.0.9;lr>\r\n"), info);
        String options = new String(encode(forwarded(crafted().get(4))), StandardCharsets.ISO_8859_1);
        assertTrue(options.contains("\r\nVia: SIP/2.0/UDP " + OURS + ":5060;branch=z9hG4bK-ours-1;rport\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac-5;received=10.9.9.9\r\n"), "Vias adjacent: " + options);
        assertTrue(options.contains("\r\nRecord-Route: <sip:" + OURS + ";lr;did=a.b>\r\n"
                + "Record-Route: <sip:10.0.0.3;lr>, <sip:10.0.0.4;lr>\r\n"), "Record-Routes adjacent: " + options);
    }

    @Test
    void aShiftedCseqAMissingContentLengthOrAStrictRouterSendTheRequestToTheEncoder() throws Exception {
        SIPRequest copy = forwarded(crafted().get(1));
        copy.getCSeq().setSeqNumber(99);
        assertNull(edited(copy));
        assertTrue(new String(encode(copy), StandardCharsets.ISO_8859_1).contains("CSeq: 99 BYE"));

        String noLength = crafted().get(1).replace("l: 0\r\n", "");
        SIPRequest unframed = forwarded(noLength);
        assertNull(edited(unframed), "no Content-Length: encoded");
        assertTrue(new String(encode(unframed), StandardCharsets.ISO_8859_1).contains("Content-Length: 0"));

        SIPRequest routed = forwarded(crafted().get(1));
        ReceivedBytes.forget(routed);
        assertNull(ReceivedRequestBytes.of(routed));
    }

    @Test
    void aListThatShrankWhereItCanOnlyGrowIsNotEdited() throws Exception {
        SIPRequest copy = forwarded(crafted().get(4));
        copy.getRecordRouteHeaders().removeLast();
        copy.getRecordRouteHeaders().removeLast();
        copy.getRecordRouteHeaders().removeLast();
        assertNull(edited(copy));
    }

    @Test
    void aTopViaLineJainSipReadsAsMoreViasThanItsCommasIsEncoded() throws Exception {
        // the top line holds three Vias for JAIN-SIP (one starts without a comma) and two by its
        // commas; the comment's comma makes up the count. Cut at the first comma, the edit would
        // have lost 10.0.0.2's Via
        String text = "OPTIONS sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-a SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-b,"
                + " SIP/2.0/TCP 10.0.0.3;branch=z9hG4bK-c\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.4;branch=z9hG4bK-d (a, b)\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c9\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SIPRequest copy = forwarded(text);
        assertEquals(5, copy.getViaHeaders().size(), "ours and the four JAIN-SIP reads");
        assertNull(edited(copy), "encoded, not edited");
    }

    @Test
    void crlfsBeforeTheRequestLineAreNotPassedOn() throws Exception {
        String text = "\r\n" + crafted().get(0);
        SIPRequest copy = forwarded(text);
        byte[] wire = edited(copy);
        assertNotNull(wire, "edited");
        String sent = new String(wire, StandardCharsets.ISO_8859_1);
        assertTrue(sent.startsWith("INVITE sip:bob@example.com SIP/2.0\r\nRecord-Route: "), sent);
        ReceivedBytes.forget(copy);
        assertEquals(headerByHeader(encode(copy)), headerByHeader(wire), sent);
    }
}

package dev.sipedge.transport;

import static dev.sipedge.transport.SipFixtures.message;
import static dev.sipedge.transport.SipFixtures.parsed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.torture.TortureCorpus;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The relay on received bytes against the encoder it replaces (issue 12): for every response of a
 * corpus (crafted call-flow responses in every form the parser accepts, and the responses of the
 * RFC 4475 torture set), the bytes relayed after our Via is removed, parsed again, equal what the
 * JAIN-SIP encoding of the edited object gives, header by header; and headers nobody read pass
 * through byte for byte.
 */
class ReceivedBytesTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final String OURS = "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sipedge-1";
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    static List<String> crafted() {
        String tail = "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b1\r\n"
                + "Call-ID: call-1@example.com\r\nCSeq: 1 INVITE\r\n";
        String up = "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac;received=10.0.0.1;rport=5061\r\n";
        List<String> all = new ArrayList<>();
        all.add("SIP/2.0 180 Ringing\r\nVia: " + OURS + "\r\n" + up + tail
                + "Contact: <sip:bob@10.0.0.2:5070>\r\nContent-Length: 0\r\n\r\n");
        all.add("SIP/2.0 183 Session Progress\r\nVia: " + OURS + "\r\n" + up + tail
                + "Content-Type: application/sdp\r\nContent-Length: " + SDP.length() + "\r\n\r\n" + SDP);
        all.add("SIP/2.0 200 OK\r\nVia: " + OURS + "\r\n" + up
                + "Record-Route: <sip:127.0.0.1:5060;lr;did=n1.1>\r\n" + tail
                + "Contact: <sip:bob@10.0.0.2:5070;transport=udp>\r\nX-Vendor-Thing:   spaced   out  \r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + SDP.length() + "\r\n\r\n" + SDP);
        all.add("SIP/2.0 486 Busy Here\r\nv: " + OURS + ", SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-uac\r\n"
                + "f: <sip:alice@example.com>;tag=a1\r\nt: <sip:bob@example.com>;tag=b1\r\ni: call-2\r\n"
                + "CSeq: 1 INVITE\r\nl: 0\r\n\r\n");
        all.add("SIP/2.0 487 Request Terminated\r\nVIA: " + OURS + ",\r\n " + up.substring(5) + tail
                + "Content-Length:    0\r\n\r\n");
        all.add("SIP/2.0 200 OK\r\nVia: " + OURS + "\r\n" + up + tail.replace("1 INVITE", "2 BYE")
                + "Subject: a folded\r\n  subject\r\nContent-Length: 0\r\n\r\n");
        return all;
    }

    /**
     * The RFC 4475 responses that parse cleanly and declare their length, with our Via put on top
     * as if we had relayed the request.
     */
    static Stream<String> tortureResponses() throws Exception {
        Path dir = TortureCorpus.dir();
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dat")).sorted().toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.startsWith("SIP/2.0 ")) {
                    int eol = text.indexOf("\r\n");
                    String ours = text.substring(0, eol + 2) + "Via: " + OURS + "\r\n" + text.substring(eol + 2);
                    if (parsed(new SipMessageParser().parse(ours.getBytes(StandardCharsets.ISO_8859_1))).orElse(null)
                            instanceof SIPResponse r
                            && ReceivedBytes.of(r) != null) {
                        out.add(ours);     // the others (bad status codes, no Content-Length) take the encoder
                    }
                }
            }
        }
        return out.stream();
    }

    static Stream<String> corpus() throws Exception {
        return Stream.concat(crafted().stream(), tortureResponses());
    }

    /** Parses, removes our Via as the proxy does, and returns the message. */
    private static SIPResponse relayed(String text) {
        SIPMessage parsed = message(new SipMessageParser().parse(text.getBytes(StandardCharsets.ISO_8859_1)));
        SIPResponse response = assertInstanceOf(SIPResponse.class, parsed, text);
        Via top = (Via) response.getViaHeaders().getFirst();
        response.getViaHeaders().removeFirst();
        ReceivedBytes.topViaRemoved(response, top);
        return response;
    }

    private static byte[] encode(SIPMessage m) {
        ByteBuf buf = SipEncoder.encode(m, ALLOC);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static String reparsed(byte[] wire) throws Exception {
        return new StringMsgParser().parseSIPMessage(wire, true, false, null).encode();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void theRelayedBytesSayWhatTheEncodedObjectSays(String text) throws Exception {
        SIPResponse response = relayed(text);
        byte[] fromBytes = encode(response);
        assertNotNull(ReceivedBytes.of(response), "relayed on its bytes: " + text);
        ReceivedBytes.forget(response);
        byte[] fromObject = encode(response);

        assertEquals(reparsed(fromObject), reparsed(fromBytes), "header by header");
        String wire = new String(fromBytes, StandardCharsets.ISO_8859_1);
        assertTrue(!wire.contains("z9hG4bK-sipedge-1"), "our Via is gone: " + wire);
    }

    @Test
    void headersNobodyReadPassThroughByteForByte() {
        String text = crafted().get(2);
        String wire = new String(encode(relayed(text)), StandardCharsets.ISO_8859_1);
        assertEquals(text.replace("Via: " + OURS + "\r\n", ""), wire);
        assertTrue(wire.contains("X-Vendor-Thing:   spaced   out  \r\n"));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void aFramedResponseKeepsItsBytesOnFramingsWordThatItDeclaresItsLength(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        SipFraming.Framed frame = assertInstanceOf(SipFraming.Framed.class, SipFraming.frame(bytes), text);
        SIPMessage parsed = message(new SipMessageParser().parse(bytes, frame));
        assertNotNull(ReceivedBytes.of(parsed), text);
        byte[] noLength = text.replaceFirst("(?m)^(Content-Length|l):.*\r\n", "").getBytes(StandardCharsets.ISO_8859_1);
        SipFraming.Framed withoutLength = assertInstanceOf(SipFraming.Framed.class, SipFraming.frame(noLength));
        assertNull(ReceivedBytes.of(message(new SipMessageParser().parse(noLength, withoutLength))), text);
    }

    @Test
    void aResponseWithoutContentLengthOrWithParseDefectsIsEncoded() {
        SIPResponse noLength = (SIPResponse) message(new SipMessageParser().parse(
                ("SIP/2.0 200 OK\r\nVia: " + OURS + "\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\n"
                        + "Call-ID: c\r\nCSeq: 1 BYE\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(ReceivedBytes.of(noLength), "UDP allows no Content-Length; TCP upstream would not frame it");

        SIPResponse twoCallIds = (SIPResponse) message(new SipMessageParser().parse(
                ("SIP/2.0 200 OK\r\nVia: " + OURS + "\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\n"
                        + "Call-ID: c\r\nCall-ID: d\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(ReceivedBytes.of(twoCallIds), "a message with parse defects keeps them, not its bytes");
    }

    @Test
    void aHeaderBlockJainSipEndsEarlyKeepsNoBytes() {
        // a line of only a tab: JAIN-SIP takes it for the blank line, framing does not
        byte[] bytes = ("SIP/2.0 200 OK\r\nVia: " + OURS + "\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\n"
                + "Call-ID: c\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\nX-A: 1\r\n\t\r\nX-B: 2\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        SIPResponse response = assertInstanceOf(SIPResponse.class, message(new SipMessageParser().parse(bytes)));
        assertNull(response.getHeader("X-B"), "JAIN-SIP stopped at the tab line");
        assertNull(ReceivedBytes.of(response), "X-B was never parsed: relaying the bytes would pass it unseen");

        byte[] request = ("INVITE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK-1\r\n"
                + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\nX-A: 1\r\n\t\r\nX-B: 2\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        SIPRequest invite = assertInstanceOf(SIPRequest.class, message(new SipMessageParser().parse(request)));
        assertNull(ReceivedRequestBytes.of(invite), "a request is encoded too");
    }

    @Test
    void aChangeTheBytesDoNotFollowSendsTheMessageToTheEncoder() throws Exception {
        SIPResponse response = relayed(crafted().get(0));
        response.getCSeq().setSeqNumber(7);
        ReceivedBytes.forget(response);

        assertNull(ReceivedBytes.of(response));
        assertTrue(new String(encode(response), StandardCharsets.ISO_8859_1).contains("CSeq: 7 INVITE"));
    }

    @Test
    void aViaThatIsNotTheOneRemovedDropsTheBytes() {
        SIPResponse response = (SIPResponse) message(new SipMessageParser().parse(
                crafted().get(0).getBytes(StandardCharsets.ISO_8859_1)));
        Via other = (Via) ((Via) response.getViaHeaders().getLast()).clone();
        ReceivedBytes.topViaRemoved(response, other);

        assertNull(ReceivedBytes.of(response), "bytes and object would disagree");
    }

    @Test
    void theBytesAreTheOnesReceivedLessTheVia() {
        String text = crafted().get(3);
        byte[] wire = encode(relayed(text));
        assertArrayEquals(text.replace(OURS + ", ", "").getBytes(StandardCharsets.ISO_8859_1), wire);
    }
}

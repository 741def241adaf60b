package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw SIP text fixtures for the dialog tests, parsed the way proxy-core parses the wire. Requests
 * come from a builder with a default for every field; responses are built from the request they
 * answer (its Vias, Record-Routes, From, Call-ID and CSeq), as a UA builds them.
 */
final class Msgs {
    static final String SDP_OFFER = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    static final String SDP_ANSWER = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 5000 RTP/AVP 0\r\n";

    private Msgs() {
    }

    static SIPMessage parse(String text) {
        try {
            return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad fixture: " + text, e);
        }
    }

    /** An initial INVITE from alice (UAC at 127.0.0.1:5061) with From tag {@code a-<callId>}. */
    static Req invite(String callId) {
        return new Req("INVITE").callId(callId).fromTag("a-" + callId).contact("sip:alice@127.0.0.1:5061");
    }

    static Req request(String method) {
        return new Req(method);
    }

    /** A request builder; {@code build()} can be called once per distinct message. */
    static final class Req {
        private final String method;
        private String requestUri = "sip:bob@example.com";
        private String viaSentBy = "127.0.0.1:5061";
        private String branch;
        private String callId = "call-1";
        private String fromUri = "sip:alice@example.com";
        private String fromTag = "a-call-1";
        private String toUri = "sip:bob@example.com";
        private String toTag;
        private long cseq = 1;
        private String cseqMethod;
        private String contact;
        private final List<String> routes = new ArrayList<>();
        private final List<String> recordRoutes = new ArrayList<>();
        private String sdp;
        private static final AtomicInteger BRANCHES = new AtomicInteger();

        private Req(String method) {
            this.method = method;
            this.cseqMethod = method;
        }

        Req requestUri(String uri) {
            this.requestUri = uri;
            return this;
        }

        Req via(String sentBy, String branchId) {
            this.viaSentBy = sentBy;
            this.branch = branchId;
            return this;
        }

        Req callId(String id) {
            this.callId = id;
            return this;
        }

        Req from(String uri, String tag) {
            this.fromUri = uri;
            this.fromTag = tag;
            return this;
        }

        Req fromTag(String tag) {
            this.fromTag = tag;
            return this;
        }

        Req to(String uri, String tag) {
            this.toUri = uri;
            this.toTag = tag;
            return this;
        }

        Req toTag(String tag) {
            this.toTag = tag;
            return this;
        }

        Req cseq(long n) {
            this.cseq = n;
            return this;
        }

        Req cseq(long n, String m) {
            this.cseq = n;
            this.cseqMethod = m;
            return this;
        }

        Req contact(String uri) {
            this.contact = uri;
            return this;
        }

        /** Appends Route entries (in order, top first). */
        Req route(String... uris) {
            routes.addAll(List.of(uris));
            return this;
        }

        /** Appends Record-Route entries (in order, top first). */
        Req recordRoute(String... uris) {
            recordRoutes.addAll(List.of(uris));
            return this;
        }

        Req sdp(String body) {
            this.sdp = body;
            return this;
        }

        SIPRequest build() {
            String b = branch != null ? branch : "z9hG4bK-t" + BRANCHES.incrementAndGet();
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
            sb.append("Via: SIP/2.0/UDP ").append(viaSentBy).append(";branch=").append(b).append("\r\n");
            sb.append("Max-Forwards: 70\r\n");
            for (String r : routes) {
                sb.append("Route: <").append(r).append(">\r\n");
            }
            for (String r : recordRoutes) {
                sb.append("Record-Route: <").append(r).append(">\r\n");
            }
            sb.append("From: <").append(fromUri).append(">;tag=").append(fromTag).append("\r\n");
            sb.append("To: <").append(toUri).append('>').append(toTag == null ? "" : ";tag=" + toTag).append("\r\n");
            sb.append("Call-ID: ").append(callId).append("\r\n");
            sb.append("CSeq: ").append(cseq).append(' ').append(cseqMethod).append("\r\n");
            if (contact != null) {
                sb.append("Contact: <").append(contact).append(">\r\n");
            }
            return (SIPRequest) parse(withBody(sb, sdp));
        }
    }

    /** A response builder over the request it answers. */
    static final class Resp {
        private final SIPRequest request;
        private final int status;
        private String toTag;
        private String contact;
        private final List<String> recordRoutesOnTop = new ArrayList<>();
        private String sdp;

        private Resp(SIPRequest request, int status) {
            this.request = request;
            this.status = status;
        }

        /** The To tag to add (ignored when the request already carries one). */
        Resp toTag(String tag) {
            this.toTag = tag;
            return this;
        }

        Resp contact(String uri) {
            this.contact = uri;
            return this;
        }

        /** Record-Route entries added above the request's ones (proxies nearer the responder), top first. */
        Resp recordRouteOnTop(String... uris) {
            recordRoutesOnTop.addAll(List.of(uris));
            return this;
        }

        Resp sdp(String body) {
            this.sdp = body;
            return this;
        }

        SIPResponse build() {
            StringBuilder sb = new StringBuilder();
            sb.append("SIP/2.0 ").append(status).append(' ').append(SIPResponse.getReasonPhrase(status)).append("\r\n");
            sb.append(request.getViaHeaders().encode());
            for (String r : recordRoutesOnTop) {
                sb.append("Record-Route: <").append(r).append(">\r\n");
            }
            if (request.getRecordRouteHeaders() != null) {
                sb.append(request.getRecordRouteHeaders().encode());
            }
            sb.append(request.getFrom().toString());
            String tag = request.getToTag() != null ? request.getToTag() : toTag;
            sb.append("To: ").append(request.getTo().getAddress().toString()).append(tag == null ? "" : ";tag=" + tag)
                    .append("\r\n");
            sb.append(request.getCallId().toString());
            sb.append(request.getCSeq().toString());
            if (contact != null) {
                sb.append("Contact: <").append(contact).append(">\r\n");
            }
            return (SIPResponse) parse(withBody(sb, sdp));
        }
    }

    static Resp response(SIPRequest request, int status) {
        return new Resp(request, status);
    }

    private static String withBody(StringBuilder headers, String sdp) {
        if (sdp == null) {
            return headers.append("Content-Length: 0\r\n\r\n").toString();
        }
        int length = sdp.getBytes(StandardCharsets.UTF_8).length;
        return headers.append("Content-Type: application/sdp\r\nContent-Length: ").append(length).append("\r\n\r\n")
                .append(sdp).toString();
    }
}

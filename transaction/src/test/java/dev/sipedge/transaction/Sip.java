package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Raw SIP text fixtures, parsed the way proxy-core parses the wire. Shipped in the test-jar. */
public final class Sip {
    private Sip() {
    }

    public static SIPMessage parse(String text) {
        try {
            return new StringMsgParser().parseSIPMessage(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8),
                    true, false, null);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad fixture: " + text, e);
        }
    }

    /** A request builder over one template; every field has a sensible default. */
    public static final class RequestBuilder {
        private final String method;
        private String cseqMethod;
        private String branch = "z9hG4bK-1";
        private String sentBy = "192.0.2.1:5060";
        private TransportKind transport = TransportKind.UDP;
        private String requestUri = "sip:bob@example.com";
        private String toTag;
        private long cseq = 1;

        private RequestBuilder(String method) {
            this.method = method;
            this.cseqMethod = method;
        }

        public RequestBuilder branch(String b) {
            this.branch = b;
            return this;
        }

        public RequestBuilder sentBy(String s) {
            this.sentBy = s;
            return this;
        }

        public RequestBuilder transport(TransportKind t) {
            this.transport = t;
            return this;
        }

        public RequestBuilder requestUri(String uri) {
            this.requestUri = uri;
            return this;
        }

        public RequestBuilder toTag(String tag) {
            this.toTag = tag;
            return this;
        }

        public RequestBuilder cseq(long n) {
            this.cseq = n;
            return this;
        }

        public SIPRequest build() {
            String via = "Via: SIP/2.0/" + transport.token() + " " + sentBy + (branch == null ? "" : ";branch=" + branch);
            return (SIPRequest) parse(method + " " + requestUri + " SIP/2.0\n"
                    + via + "\n"
                    + "Max-Forwards: 70\n"
                    + "Route: <sip:p1.example.com;lr>\n"
                    + "To: <sip:bob@example.com>" + (toTag == null ? "" : ";tag=" + toTag) + "\n"
                    + "From: <sip:alice@example.com>;tag=a1\n"
                    + "Call-ID: call-1@192.0.2.1\n"
                    + "CSeq: " + cseq + " " + cseqMethod + "\n"
                    + "Contact: <sip:alice@192.0.2.1>\n"
                    + "Content-Length: 0\n\n");
        }
    }

    public static RequestBuilder request(String method) {
        return new RequestBuilder(method);
    }

    public static SIPRequest invite(TransportKind t) {
        return request("INVITE").transport(t).build();
    }

    /** A response to {@code request}: its Via, From, Call-ID and CSeq, with {@code toTag} on To (null: none). */
    public static SIPResponse response(SIPRequest request, int status, String toTag) {
        StringBuilder to = new StringBuilder("To: <sip:bob@example.com>");
        String existing = request.getTo().getTag();
        if (existing != null) {
            to.append(";tag=").append(existing);
        } else if (toTag != null) {
            to.append(";tag=").append(toTag);
        }
        return (SIPResponse) parse("SIP/2.0 " + status + " Whatever\n"
                + request.getViaHeaders().encode()
                + to + "\n"
                + request.getFrom().toString()
                + request.getCallId().toString()
                + request.getCSeq().toString()
                + "Content-Length: 0\n\n");
    }
}

package dev.sipedge.recordroute;

import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/** Raw SIP text fixtures: written with '\n' for readability, parsed with CRLF like the wire. */
final class SipText {

    private SipText() {
    }

    static SIPRequest request(String text) {
        String wire = text.replace("\r\n", "\n").replace("\n", "\r\n");
        try {
            SIPMessage message = new StringMsgParser()
                    .parseSIPMessage(wire.getBytes(StandardCharsets.UTF_8), true, false, null);
            return (SIPRequest) message;
        } catch (ParseException e) {
            throw new AssertionError("fixture does not parse: " + e.getMessage(), e);
        }
    }

    /** A BYE for the fixture dialog, carrying the given Route values and Request-URI. */
    static SIPRequest bye(String requestUri, List<String> routes) {
        StringBuilder sb = new StringBuilder()
                .append("BYE ").append(requestUri).append(" SIP/2.0\n")
                .append("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbye1\n");
        for (String r : routes) {
            sb.append("Route: <").append(r).append(">\n");
        }
        sb.append("Max-Forwards: 70\n")
                .append("From: <sip:alice@example.com>;tag=a1\n")
                .append("To: <sip:bob@example.org>;tag=b1\n")
                .append("Call-ID: rr-fixture-1\n")
                .append("CSeq: 2 BYE\n")
                .append("Content-Length: 0\n\n");
        return request(sb.toString());
    }

    /** Route values top-down, as URI strings. */
    static List<String> routes(SIPRequest request) {
        List<String> out = new ArrayList<>();
        RouteList list = request.getRouteHeaders();
        if (list != null) {
            for (Object r : list) {
                out.add(((Route) r).getAddress().getURI().toString());
            }
        }
        return out;
    }

    /** Record-Route values top-down, as URI strings. */
    static List<String> recordRoutes(SIPRequest request) {
        List<String> out = new ArrayList<>();
        RecordRouteList list = request.getRecordRouteHeaders();
        if (list != null) {
            for (Object r : list) {
                out.add(((RecordRoute) r).getAddress().getURI().toString());
            }
        }
        return out;
    }

    static final String INITIAL_INVITE = """
            INVITE sip:bob@example.org SIP/2.0
            Via: SIP/2.0/UDP upstream.example.net:5060;branch=z9hG4bKup1
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKuac1
            Record-Route: <sip:upstream.example.net;lr>
            Max-Forwards: 69
            From: <sip:alice@example.com>;tag=a1
            To: <sip:bob@example.org>
            Call-ID: rr-fixture-1
            CSeq: 1 INVITE
            Contact: <sip:alice@192.0.2.10:5060>
            Content-Length: 0

            """;
}

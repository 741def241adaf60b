package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SipTracesTest {

    private static String entry(String direction, String startLine, String via, String cseq) {
        return "----------------------------------------------- 2026-12-04 15:58:24.424325\n"
                + "UDP message " + direction + " [100] bytes :\n\n"
                + startLine + "\n"
                + "Via: " + via + "\n"
                + "CSeq: " + cseq + "\n"
                + "Content-Length: 0\n\n";
    }

    @Test
    void aRetransmissionIsOneRequestAndANewBranchIsAnother() {
        String proxyVia = "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKaaa;rport,SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1";
        String log = entry("received", "INVITE sip:a@127.0.0.1 SIP/2.0", proxyVia, "3 INVITE")
                + entry("sent", "SIP/2.0 200 OK", proxyVia, "3 INVITE")
                + entry("received", "INVITE sip:a@127.0.0.1 SIP/2.0", proxyVia, "3 INVITE")
                + entry("received", "INVITE sip:a@127.0.0.1 SIP/2.0",
                        "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKbbb", "4 INVITE")
                + entry("received", "BYE sip:a@127.0.0.1 SIP/2.0",
                        "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKaaa", "5 BYE");
        List<SipMessageLog.Entry> requests = SipMessageLog.parse(log).stream()
                .filter(e -> !e.sent() && e.isRequest("INVITE")).toList();

        assertEquals(3, requests.size(), "datagrams");
        assertEquals(List.of("3 INVITE", "4 INVITE"),
                SipTraces.withoutRetransmissions(requests).stream().map(SipTraces::cseq).toList());
    }

    @Test
    void theSameBranchWithAnotherCseqIsAnotherRequest() {
        // a 2xx ACK may reuse the INVITE's branch in careless UAs; its CSeq method differs
        String via = "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsame";
        List<SipMessageLog.Entry> requests = SipMessageLog.parse(
                entry("received", "ACK sip:a@127.0.0.1 SIP/2.0", via, "1 ACK")
                        + entry("received", "ACK sip:a@127.0.0.1 SIP/2.0", via, "2 ACK"));
        assertEquals(2, SipTraces.withoutRetransmissions(requests).size());
    }
}

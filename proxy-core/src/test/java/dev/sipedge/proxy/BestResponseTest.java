package dev.sipedge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BestResponseTest {

    private static List<SIPResponse> responses(String statuses) {
        List<SIPResponse> list = new ArrayList<>();
        for (String s : statuses.split(" ")) {
            list.add(ProxyHarness.answer(ProxyHarness.invite("b"), Integer.parseInt(s), "t" + s));
        }
        return list;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "486, 486",
        "503 486, 486",
        "486 404, 486",
        "302 486, 302",
        "486 603 500, 603",
        "500 408, 408",
    })
    void choosesSixHundredThenTheLowestClassThenTheEarliest(String received, int expected) {
        List<SIPResponse> finals = responses(received);
        assertEquals(expected, finals.get(BestResponse.choose(finals)).getStatusCode());
    }

    @Test
    void a503IsSentUpstreamAs500() throws Exception {
        List<SIPResponse> finals = responses("503");
        assertEquals(500, BestResponse.prepare(finals.get(0), finals).getStatusCode());
    }

    @Test
    void challengesOfEveryBranchAreMerged() throws Exception {
        List<SIPResponse> finals = responses("401 407");
        finals.get(0).addHeader(StringMsgParser.parseSIPHeader(
                "WWW-Authenticate: Digest realm=\"a\", nonce=\"1\""));
        finals.get(1).addHeader(StringMsgParser.parseSIPHeader(
                "Proxy-Authenticate: Digest realm=\"b\", nonce=\"2\""));
        SIPResponse sent = BestResponse.prepare(finals.get(0), finals);
        assertEquals(401, sent.getStatusCode());
        String challenge = ((gov.nist.javax.sip.header.SIPHeader) sent.getHeader("Proxy-Authenticate")).getHeaderValue();
        org.junit.jupiter.api.Assertions.assertTrue(challenge.contains("realm=\"b\""), challenge);
    }
}

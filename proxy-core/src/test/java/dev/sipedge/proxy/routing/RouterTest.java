package dev.sipedge.proxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final String ROUTES = """
            routes = [
              { match { methods = [INVITE], request-uri = "@example\\\\.com", headers { "X-Tenant" = "^gold$" } },
                next-hop = ["sip:10.0.0.1:5070", "sip:10.0.0.2:5070;transport=tcp"] }
              { match { from = "alice" }, next-hop = "sip:10.0.0.3" }
              { match { methods = [MESSAGE], to = "^<sip:bob@" }, next-hop = "sip:10.0.0.4" }
              { next-hop = "sip:10.0.0.9" }
            ]
            """;

    private final Router router = new Router(RouteRules.from(ConfigFactory.parseString(ROUTES).getConfigList("routes")));

    private static SIPRequest request(String method, String uri, String from, String extra) throws Exception {
        String text = method + " " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK1\r\n"
                + "From: <" + from + ">;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: x\r\nCSeq: 1 " + method + "\r\n"
                + extra + "Content-Length: 0\r\n\r\n";
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    @Test
    void allConditionsOfAMatchMustHold() throws Exception {
        RouteRule gold = router.route(request("INVITE", "sip:bob@example.com", "sip:carol@x", "X-Tenant: gold\r\n"))
                .orElseThrow();
        assertEquals(0, gold.index());
        assertEquals(List.of("sip:10.0.0.1:5070", "sip:10.0.0.2:5070;transport=tcp"), gold.nextHops());
        RouteRule silver = router.route(request("INVITE", "sip:bob@example.com", "sip:carol@x", "X-Tenant: silver\r\n"))
                .orElseThrow();
        assertEquals(3, silver.index(), "header regex does not fit: falls through to the catch-all");
    }

    @Test
    void firstMatchWins() throws Exception {
        assertEquals(1, router.route(request("INVITE", "sip:bob@example.com", "sip:alice@x", "")).orElseThrow()
                .index());
        assertEquals(2, router.route(request("MESSAGE", "sip:bob@other.net", "sip:carol@x", "")).orElseThrow().index());
    }

    @Test
    void noRulesMeansNoMatch() throws Exception {
        assertTrue(new Router(List.of()).route(request("INVITE", "sip:bob@example.com", "sip:a@x", "")).isEmpty());
    }

    @Test
    void badRegexOrMissingNextHopFailAtStartup() {
        assertThrows(ConfigException.class, () -> RouteRules.from(ConfigFactory.parseString(
                "routes = [ { match { from = \"(\" }, next-hop = \"sip:a\" } ]").getConfigList("routes")));
        assertThrows(ConfigException.class, () -> RouteRules.from(ConfigFactory.parseString(
                "routes = [ { match { from = \"a\" } } ]").getConfigList("routes")));
    }
}

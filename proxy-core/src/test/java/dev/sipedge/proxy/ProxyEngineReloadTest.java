package dev.sipedge.proxy;

import static dev.sipedge.proxy.ProxyHarness.FROM_UAC;
import static dev.sipedge.proxy.ProxyHarness.FROM_UAS;
import static dev.sipedge.proxy.ProxyHarness.UAC;
import static dev.sipedge.proxy.ProxyHarness.UAS;
import static dev.sipedge.proxy.ProxyHarness.UAS2;
import static dev.sipedge.proxy.ProxyHarness.answer;
import static dev.sipedge.proxy.ProxyHarness.invite;
import static dev.sipedge.proxy.ProxyHarness.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sipedge.dialog.Dialog;
import dev.sipedge.dialog.DialogOptions;
import dev.sipedge.dialog.DialogSettings;
import dev.sipedge.dialog.PingMode;
import dev.sipedge.proxy.routing.RouteMatch;
import dev.sipedge.proxy.routing.RouteRule;
import dev.sipedge.proxy.routing.RouteTable;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reload swaps the route table under running calls: requests routed before keep their next hop
 * and their dialog keeps its options; the next initial request uses the new table; in-dialog
 * requests follow the route set whatever the table says.
 */
class ProxyEngineReloadTest {
    private static final DialogOptions OLD_OPTIONS =
            new DialogOptions(true, Duration.ofHours(1), PingMode.NONE, PingMode.NONE, List.of());
    private static final DialogOptions NEW_OPTIONS =
            new DialogOptions(true, Duration.ofHours(3), PingMode.NONE, PingMode.NONE, List.of());

    private final ProxyHarness proxy = new ProxyHarness(DialogSettings.defaults(), OLD_OPTIONS, "sip:127.0.0.1:5070");

    @AfterEach
    void close() {
        proxy.close();
    }

    /** The table a reloaded file would give: the same match, UAS2 as next hop, other dialog options. */
    private RouteTable toUas2() {
        RouteRule rule = new RouteRule(0, new RouteMatch(Set.of("INVITE", "MESSAGE"), null, null, null, Map.of()),
                List.of("sip:127.0.0.1:5072"), NEW_OPTIONS);
        return RouteTable.build(List.of(rule), proxy.dialogs);
    }

    private Map<String, Duration> dialogTimeouts() {
        return proxy.dialogs.trackers().get(0).dialogs().stream()
                .collect(Collectors.toMap(Dialog::callId, d -> d.options().timeout()));
    }

    @Test
    void aCallRoutedWithTheOldTableKeepsItsHopAndOptionsWhileTheNextCallUsesTheNewTable() {
        SIPRequest first = invite("r1");
        proxy.receive(first, FROM_UAC);
        SIPRequest toA = proxy.lastRequest(UAS, "INVITE");

        RouteTable old = proxy.routes.replace(toUas2());

        // the caller retransmits its INVITE: the server transaction absorbs it, nothing is routed anew
        proxy.receive(invite("r1"), FROM_UAC);
        assertEquals(List.of(), proxy.sentTo(UAS2), "a retransmission is not routed with the new table");
        proxy.receive(answer(toA, 180, "b1"), FROM_UAS);
        proxy.receive(answer(toA, 200, "b1"), FROM_UAS);
        assertEquals(List.of(100, 100, 180, 200), proxy.statusesTo(UAC));

        proxy.receive(invite("r2"), FROM_UAC);
        assertEquals("r2", proxy.lastRequest(UAS2, "INVITE").getCallId().getCallId(), "the next call goes to the new hop");
        assertEquals(1, proxy.sentTo(UAS).stream().filter(s -> s.isRequest("INVITE")).count(),
                "the old hop got only the first call");
        assertEquals(Map.of("r1", Duration.ofHours(1), "r2", Duration.ofHours(3)), dialogTimeouts(),
                "each dialog keeps the options of the table it was created with");

        // the first call's BYE follows its route set to the old callee, not the new table
        String did = ((SipUri) ((RecordRoute) toA.getRecordRouteHeaders().getFirst()).getAddress().getURI())
                .getParameter("did");
        proxy.receive(parse("""
                BYE sip:bob@127.0.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bye-r1
                Route: <sip:127.0.0.1:5060;lr;did=%s>
                Max-Forwards: 70
                From: <sip:alice@127.0.0.1:5061>;tag=a-r1
                To: <sip:bob@127.0.0.1:5070>;tag=b1
                Call-ID: r1
                CSeq: 2 BYE
                Content-Length: 0

                """.formatted(did)), FROM_UAC);
        assertEquals("r1", proxy.lastRequest(UAS, "BYE").getCallId().getCallId());
        assertEquals(0, proxy.sentTo(UAS2).stream().filter(s -> s.isRequest("BYE")).count());
        assertEquals("sip:127.0.0.1:5070", old.nextHopsOf(old.router().rules().get(0)).get(0).toString());
    }

    @Test
    void theEngineReadsTheTableInForceForEveryInitialRequest() {
        RouteTable table = toUas2();
        proxy.routes.replace(table);
        assertSame(table, proxy.routes.current());

        proxy.receive(invite("r3"), FROM_UAC);

        assertEquals(List.of(), proxy.sentTo(UAS));
        assertEquals("r3", proxy.lastRequest(UAS2, "INVITE").getCallId().getCallId());
    }
}

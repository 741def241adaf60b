package dev.sipedge.recordroute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * §16.4 pre-processing and §16.6 step 4 insertion scenarios, run once per interface layout by
 * the subclasses (same interface both ways, transport change, address change). A layout where
 * {@code inbound != outbound} yields a double Record-Route (RFC 5658).
 */
abstract class LooseRouterTestBase {

    static final String FOREIGN = "sip:other-proxy.example.net:5060;lr";
    static final String UPSTREAM = "sip:upstream.example.net;lr";
    static final String DOWNSTREAM = "sip:downstream.example.org;lr";
    static final String CALLER_CONTACT = "sip:alice@192.0.2.10:5060";
    static final String CALLEE_CONTACT = "sip:bob@198.51.100.7:5060";

    /** Where the initial request arrives (caller side). */
    abstract LocalInterface inbound();

    /** Where it leaves (callee side). */
    abstract LocalInterface outbound();

    final RecordRouter recordRouter = new RecordRouter();
    LooseRouter router;
    final List<RouteParams> heard = new ArrayList<>();

    @BeforeEach
    void setUp() {
        router = new LooseRouter(new LocalIdentity(List.of(inbound(), outbound())));
        router.addListener((request, params) -> heard.add(params));
    }

    boolean doubled() {
        return !inbound().equals(outbound());
    }

    /** The Record-Route list the callee sees on the initial INVITE, with a proxy after us. */
    List<String> recordRouteSeenByCallee(RouteParams params) {
        SIPRequest invite = SipText.request(SipText.INITIAL_INVITE);
        recordRouter.addRecordRoute(invite, inbound(), outbound(), params);
        List<String> rr = new ArrayList<>(SipText.recordRoutes(invite));
        rr.add(0, DOWNSTREAM);
        return rr;
    }

    @Test
    void insertsOneEntryPerInterfaceOnTopOfExistingRecordRoute() {
        SIPRequest invite = SipText.request(SipText.INITIAL_INVITE);
        recordRouter.addRecordRoute(invite, inbound(), outbound(), RouteParams.EMPTY.with("did", "d1"));
        List<String> rr = SipText.recordRoutes(invite);
        assertEquals(doubled() ? 3 : 2, rr.size(), rr.toString());
        assertEquals(RecordRouter.recordRouteUri(outbound(), RouteParams.EMPTY.with("did", "d1")).toString(),
                rr.get(0));
        if (doubled()) {
            assertEquals(RecordRouter.recordRouteUri(inbound(), RouteParams.EMPTY.with("did", "d1")).toString(),
                    rr.get(1));
        }
        assertEquals(UPSTREAM, rr.get(rr.size() - 1));
    }

    @Test
    void calleeSequentialRequestLosesOurEntriesAndYieldsParams() {
        RouteParams params = RouteParams.EMPTY.with("did", "a1b.42").with("nat", null);
        List<String> uasRouteSet = recordRouteSeenByCallee(params);
        // The callee's BYE went through the downstream proxy first, which removed its entry.
        SIPRequest bye = SipText.bye(CALLER_CONTACT, uasRouteSet.subList(1, uasRouteSet.size()));

        RoutePreprocessResult result = router.preprocess(bye);

        assertTrue(result.ourRouteRemoved());
        assertFalse(result.strictRouterFixed());
        assertEquals(params, result.ourRouteParams());
        assertEquals("a1b.42", result.ourRouteParams().get("did"));
        assertTrue(result.ourRouteParams().has("nat"));
        assertEquals(List.of(UPSTREAM), SipText.routes(bye));
        assertEquals(CALLER_CONTACT, bye.getRequestURI().toString());
        assertEquals(List.of(params), heard);
    }

    @Test
    void callerSequentialRequestLosesOurEntriesAndYieldsParams() {
        RouteParams params = RouteParams.EMPTY.with("did", "c0ffee.7");
        List<String> uacRouteSet = new ArrayList<>(recordRouteSeenByCallee(params));
        Collections.reverse(uacRouteSet);
        // The caller's BYE went through the upstream proxy first, which removed its entry.
        SIPRequest bye = SipText.bye(CALLEE_CONTACT, uacRouteSet.subList(1, uacRouteSet.size()));

        RoutePreprocessResult result = router.preprocess(bye);

        assertTrue(result.ourRouteRemoved());
        assertEquals("c0ffee.7", result.ourRouteParams().get("did"));
        assertEquals(List.of(DOWNSTREAM), SipText.routes(bye));
        assertEquals(List.of(params), heard);
    }

    @Test
    void foreignTopRouteIsKeptEvenWhenOursFollows() {
        String ours = RecordRouter.recordRouteUri(inbound(), RouteParams.EMPTY.with("did", "x")).toString();
        SIPRequest bye = SipText.bye(CALLEE_CONTACT, List.of(FOREIGN, ours));

        RoutePreprocessResult result = router.preprocess(bye);

        assertSame(RoutePreprocessResult.NOTHING_OURS, result);
        assertEquals(List.of(FOREIGN, ours), SipText.routes(bye));
        assertTrue(heard.isEmpty());
    }

    @Test
    void onlyOurTopEntryIsRemovedWhenTheNextIsForeign() {
        String ours = RecordRouter.recordRouteUri(inbound(), RouteParams.EMPTY).toString();
        SIPRequest bye = SipText.bye(CALLEE_CONTACT, List.of(ours, FOREIGN));

        RoutePreprocessResult result = router.preprocess(bye);

        assertTrue(result.ourRouteRemoved());
        assertTrue(result.ourRouteParams().isEmpty());
        assertEquals(List.of(FOREIGN), SipText.routes(bye));
        assertEquals(List.of(RouteParams.EMPTY), heard, "listeners run even without params");
    }

    @Test
    void requestWithoutRouteIsUntouched() {
        SIPRequest bye = SipText.bye(CALLEE_CONTACT, List.of());
        String before = bye.encode();

        RoutePreprocessResult result = router.preprocess(bye);

        assertFalse(result.foundOurs());
        assertEquals(before, bye.encode());
        assertNull(bye.getRouteHeaders());
        assertTrue(heard.isEmpty());
    }

    @Test
    void strictRouterFixUpRestoresRequestUriAndReadsParamsFromIt() {
        // An RFC 2543 UAC puts the first route in the Request-URI and the remote target last.
        List<String> uasRouteSet = recordRouteSeenByCallee(RouteParams.EMPTY.with("did", "s1"));
        List<String> uacRouteSet = new ArrayList<>(uasRouteSet);
        Collections.reverse(uacRouteSet);
        List<String> remaining = new ArrayList<>(uacRouteSet.subList(2, uacRouteSet.size()));
        remaining.add(CALLEE_CONTACT);
        SIPRequest bye = SipText.bye(uacRouteSet.get(1), remaining);

        RoutePreprocessResult result = router.preprocess(bye);

        assertTrue(result.strictRouterFixed());
        assertEquals(doubled(), result.ourRouteRemoved(), "the double-RR twin is on top after the fix-up");
        assertEquals("s1", result.ourRouteParams().get("did"));
        assertEquals(CALLEE_CONTACT, bye.getRequestURI().toString());
        assertEquals(List.of(DOWNSTREAM), SipText.routes(bye));
        assertEquals(1, heard.size());
    }

    @Test
    void requestAddressedToUsWithoutLrIsNotAStrictRouterArtefact() {
        LocalInterface in = inbound();
        String toUs = "sip:" + in.uriHost() + ":" + in.port()
                + ("udp".equals(in.transport()) ? "" : ";transport=" + in.transport());
        SIPRequest options = SipText.bye(toUs, List.of(FOREIGN));

        RoutePreprocessResult result = router.preprocess(options);

        assertFalse(result.foundOurs());
        assertEquals(toUs, options.getRequestURI().toString());
        assertEquals(List.of(FOREIGN), SipText.routes(options));
    }
}

package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.recordroute.RouteParams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sequential request matching in the three modes, both directions, with and without the did
 * cookie, and against forged or stale cookies. Every request goes through the real layer and the
 * real loose router, so the cookie is read from our Route entry only.
 */
class SequentialMatchingTest {
    private DialogHarness h;
    private Call c;
    private long cseq = 10;

    private void establish(MatchMode mode) {
        h = new DialogHarness(DialogHarness.settings().withMatchMode(mode));
        c = h.call("m-" + mode).establish();
    }

    /** Our Route entry with {@code did} (none when null). */
    private static String ours(String did) {
        return DialogHarness.ourUri(did == null ? RouteParams.EMPTY : RouteParams.EMPTY.with("did", did));
    }

    private Msgs.Req down(String method, String cookie) {
        return Msgs.request(method).callId(c.callId()).from("sip:alice@example.com", c.dialog().callerTag())
                .to("sip:bob@example.com", "b1").cseq(++cseq).requestUri("sip:bob@127.0.0.1:5070").route(ours(cookie));
    }

    private Msgs.Req up(String method, String cookie) {
        return Msgs.request(method).callId(c.callId()).from("sip:bob@example.com", "b1")
                .to("sip:alice@example.com", c.dialog().callerTag()).cseq(++cseq).via("127.0.0.1:5070", null)
                .requestUri("sip:alice@127.0.0.1:5061").route(ours(cookie));
    }

    private DialogHarness.Seq send(Msgs.Req r, boolean fromCaller) {
        return h.sequential(r.build(), fromCaller ? DialogHarness.UAC : DialogHarness.UAS);
    }

    private double unmatched() {
        return h.counter("sipedge_dialogs_unmatched_requests");
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void recordRouteCarriesTheCookieExceptInSipOnly(MatchMode mode) {
        establish(mode);
        RouteParams params = c.tracked().recordRouteParams();
        if (mode == MatchMode.SIP_ONLY) {
            assertTrue(params.isEmpty(), params.toString());
        } else {
            assertEquals(RouteParams.EMPTY.with("did", c.dialog().id()), params);
        }
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void withCookieBothDirectionsMatchInEveryMode(MatchMode mode) {
        establish(mode);
        String did = c.dialog().id();
        DialogHarness.Seq d = send(down("INFO", did), true);
        assertSame(c.dialog(), d.dialog());
        assertEquals(Direction.DOWNSTREAM, d.matched().direction());
        DialogHarness.Seq u = send(up("INFO", did), false);
        assertSame(c.dialog(), u.dialog());
        assertEquals(Direction.UPSTREAM, u.matched().direction());
        assertEquals(0.0, unmatched());
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void withoutCookieOnlyDidOnlyFails(MatchMode mode) {
        establish(mode);
        DialogHarness.Seq d = send(down("INFO", null), true);
        DialogHarness.Seq u = send(up("INFO", null), false);
        if (mode == MatchMode.DID_ONLY) {
            assertTrue(d.unmatched());
            assertTrue(u.unmatched());
        } else {
            assertSame(c.dialog(), d.dialog());
            assertEquals(Direction.DOWNSTREAM, d.matched().direction());
            assertSame(c.dialog(), u.dialog());
            assertEquals(Direction.UPSTREAM, u.matched().direction());
        }
        assertEquals(0.0, unmatched(), "no cookie: nothing missed");
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void withoutAnyRouteOfOursSipMatchingStillWorks(MatchMode mode) {
        establish(mode);
        DialogHarness.Seq d = h.sequential(Msgs.request("INFO").callId(c.callId())
                .from("sip:alice@example.com", c.dialog().callerTag()).to("sip:bob@example.com", "b1").cseq(++cseq)
                .build(), DialogHarness.UAC);
        assertFalse(d.routing().foundOurs());
        if (mode == MatchMode.DID_ONLY) {
            assertTrue(d.unmatched());
        } else {
            assertSame(c.dialog(), d.dialog());
        }
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void wrongTagsNeverMatch(MatchMode mode) {
        establish(mode);
        String did = c.dialog().id();
        assertTrue(send(down("INFO", did).toTag("b-other"), true).unmatched());
        assertTrue(send(down("INFO", did).fromTag("a-other"), true).unmatched());
        assertTrue(send(up("INFO", did).fromTag("b-other"), false).unmatched());
        assertTrue(send(down("INFO", null).toTag("b-other"), true).unmatched());
        assertEquals(mode == MatchMode.SIP_ONLY ? 0.0 : 3.0, unmatched(), "cookie present but fits nothing");
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void forgedByeWithRightCookieAndWrongCallIdNeverEndsTheDialog(MatchMode mode) {
        establish(mode);
        String did = c.dialog().id();
        DialogHarness.Seq forged = send(down("BYE", did).callId("forged-call"), true);
        assertTrue(forged.unmatched());
        DialogHarness.Seq forgedUp = send(up("BYE", did).callId("forged-call"), false);
        assertTrue(forgedUp.unmatched());
        forged.respond(200);
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertSame(c.dialog(), h.tracker.find(did));
        assertEquals(mode == MatchMode.SIP_ONLY ? 0.0 : 2.0, unmatched());
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void unknownCookieIsCountedAndFallsBackOnlyInFallbackMode(MatchMode mode) {
        establish(mode);
        DialogHarness.Seq s = send(down("INFO", "n1.zzzz"), true);
        switch (mode) {
            case DID_ONLY -> {
                assertTrue(s.unmatched());
                assertEquals(1.0, unmatched());
            }
            case DID_FALLBACK -> {
                assertSame(c.dialog(), s.dialog(), "SIP matching after a cookie that fits nothing");
                assertEquals(0.0, unmatched());
            }
            case SIP_ONLY -> {
                assertSame(c.dialog(), s.dialog(), "the cookie is not even read");
                assertEquals(0.0, unmatched());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void cookieOfAnotherDialogDoesNotSelectIt(MatchMode mode) {
        establish(mode);
        Call other = h.call("m-other-" + mode).establish();
        // Right Call-ID and tags of c, but the cookie of the other dialog.
        DialogHarness.Seq s = send(down("BYE", other.dialog().id()), true);
        if (mode == MatchMode.DID_ONLY) {
            assertTrue(s.unmatched());
        } else {
            assertSame(c.dialog(), s.dialog());
        }
        assertEquals(DialogState.CONFIRMED, other.dialog().state(), "the other dialog is never touched");
    }

    @ParameterizedTest
    @EnumSource(MatchMode.class)
    void unknownRequestIsRelayedNotRejected(MatchMode mode) {
        establish(mode);
        DialogHarness.Seq s = send(down("BYE", null).callId("nobody"), true);
        assertTrue(s.unmatched(), "relayed on its Route set, not refused");
    }
}

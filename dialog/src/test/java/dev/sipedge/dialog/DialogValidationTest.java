package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/**
 * {@code validate = true}: CSeq order, Request-URI against the recorded remote target, and the
 * Route entries left after ours against the leg's route set. The call has a proxy on each side
 * (p1 toward the caller, p3 toward the callee), so both route sets are non-empty.
 */
class DialogValidationTest {
    private static final String P1 = "sip:p1.example.com;lr";
    private static final String P3 = "sip:p3.example.com;lr";

    private final DialogHarness h = new DialogHarness(DialogHarness.settings().withValidate(true));
    private final Call c = establish(h, "v1");

    static Call establish(DialogHarness h, String callId) {
        Call c = h.call(Msgs.invite(callId).recordRoute(P1).build(), DialogOptions.TRACK).forward(UAS);
        c.receive(UAS, c.answer(UAS, 200, "b1").recordRouteOnTop(P3).build(), true);
        c.ack("b1");
        return c;
    }

    private static final String CSEQ = "CSeq Out of Order";
    private static final String URI = "Request-URI Does Not Match Dialog";
    private static final String ROUTES = "Route Set Does Not Match Dialog";

    private void assertRejected(DialogHarness.Seq s, int status, String reason) {
        Refusal refusal = assertInstanceOf(Refusal.class, s.result(), "expected " + status);
        assertEquals(status, refusal.status());
        assertEquals(reason, refusal.reason());
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
    }

    @Test
    void validRequestsPassBothWays() {
        DialogHarness.Seq down = h.sequential(c.fromCaller("INFO").build(), UAC);
        assertInstanceOf(Sequential.Matched.class, down.result(), String.valueOf(down.result()));
        DialogHarness.Seq up = h.sequential(c.fromCallee("INFO").build(), UAS);
        assertInstanceOf(Sequential.Matched.class, up.result(), String.valueOf(up.result()));
        DialogHarness.Seq bye = h.sequential(c.fromCallee("BYE").build(), UAS);
        assertInstanceOf(Sequential.Matched.class, bye.result());
        assertEquals(EndCause.CALLEE_BYE, c.dialog().endCause());
    }

    @Test
    void cseqNotAboveTheLastSeenIs500() {
        assertRejected(h.sequential(c.fromCaller("INFO").cseq(1).build(), UAC), 500, CSEQ);   // the INVITE had 1
        assertInstanceOf(Sequential.Matched.class, h.sequential(c.fromCaller("INFO").cseq(7).build(), UAC).result());
        assertRejected(h.sequential(c.fromCaller("INFO").cseq(6).build(), UAC), 500, CSEQ);
        assertEquals(7, c.dialog().caller().cseqFrom(), "a refused request does not count");
        assertRejected(h.sequential(c.fromCaller("BYE").cseq(3).build(), UAC), 500, CSEQ);
    }

    @Test
    void requestUriOtherThanTheRemoteTargetIs400() {
        assertRejected(h.sequential(c.fromCaller("BYE").requestUri("sip:mallory@127.0.0.1:5070").build(), UAC),
                400, URI);
        assertRejected(h.sequential(c.fromCallee("BYE").requestUri("sip:alice@192.0.2.9").build(), UAS), 400, URI);
    }

    @Test
    void routeSetMismatchIs400() {
        String ours = c.ourRoute();
        assertRejected(h.sequential(Msgs.request("BYE").callId(c.callId()).from("sip:alice@example.com", "a-v1")
                .to("sip:bob@example.com", "b1").cseq(20).requestUri("sip:bob@127.0.0.1:5070")
                .route(ours, "sip:evil.example.com;lr").build(), UAC), 400, ROUTES);
        assertRejected(h.sequential(Msgs.request("BYE").callId(c.callId()).from("sip:alice@example.com", "a-v1")
                .to("sip:bob@example.com", "b1").cseq(21).requestUri("sip:bob@127.0.0.1:5070")
                .route(ours).build(), UAC), 400, ROUTES);
        assertRejected(h.sequential(Msgs.request("BYE").callId(c.callId()).from("sip:bob@example.com", "b1")
                .to("sip:alice@example.com", "a-v1").cseq(200).requestUri("sip:alice@127.0.0.1:5061")
                .route(ours, P3).build(), UAS), 400, ROUTES);
    }

    @Test
    void withoutValidationTheSameRequestsPass() {
        DialogHarness off = new DialogHarness();
        Call call = establish(off, "v2");
        DialogHarness.Seq s = off.sequential(call.fromCaller("BYE").cseq(1).requestUri("sip:x@192.0.2.9").build(), UAC);
        assertInstanceOf(Sequential.Matched.class, s.result());
        assertEquals(EndCause.CALLER_BYE, call.dialog().endCause());
    }
}

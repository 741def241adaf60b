package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Global and per-dialog listeners: which callback fires when, with what, and failing listeners. */
class DialogListenersTest {

    /** Writes each callback as "event arg state", e.g. "early 180 EARLY". */
    static final class Recorder implements DialogListener {
        final List<String> events = new ArrayList<>();
        final List<Object> args = new ArrayList<>();

        private void add(String event, Dialog d, Object arg, String what) {
            events.add(event + (what == null ? "" : " " + what) + " " + d.state());
            args.add(arg);
        }

        private static String status(SIPResponse r) {
            return r == null ? "null" : String.valueOf(r.getStatusCode());
        }

        @Override
        public void onCreated(Dialog d, SIPRequest invite) {
            add("created", d, invite, invite.getMethod());
        }

        @Override
        public void onEarly(Dialog d, SIPResponse r) {
            add("early", d, r, status(r));
        }

        @Override
        public void onAnswered(Dialog d, SIPResponse r) {
            add("answered", d, r, status(r));
        }

        @Override
        public void onConfirmed(Dialog d, SIPRequest ack) {
            add("confirmed", d, ack, ack.getMethod());
        }

        @Override
        public void onFailed(Dialog d, SIPResponse r) {
            add("failed", d, r, status(r));
        }

        @Override
        public void onRequestWithin(Dialog d, SIPRequest r, Direction direction) {
            add("requestWithin", d, r, r.getMethod() + " " + direction);
        }

        @Override
        public void onResponseForwarded(Dialog d, SIPResponse r) {
            add("responseForwarded", d, r, status(r));
        }

        @Override
        public void onResponseWithin(Dialog d, SIPResponse r) {
            add("responseWithin", d, r, status(r) + " " + r.getCSeq().getMethod());
        }

        @Override
        public void onTerminated(Dialog d, SIPRequest bye) {
            add("terminated", d, bye, bye.getMethod() + " " + d.endCause());
        }

        @Override
        public void onExpired(Dialog d) {
            add("expired", d, null, null);
        }

        @Override
        public void onSpiraled(Dialog d, SIPRequest invite) {
            add("spiraled", d, invite, null);
        }

        @Override
        public void onDestroyed(Dialog d) {
            add("destroyed", d, null, null);
        }
    }

    /** Throws from every callback. */
    static final class Thrower implements DialogListener {
        int calls;

        private void fail() {
            calls++;
            throw new IllegalStateException("listener failure (test)");
        }

        @Override public void onCreated(Dialog d, SIPRequest i) { fail(); }
        @Override public void onEarly(Dialog d, SIPResponse r) { fail(); }
        @Override public void onAnswered(Dialog d, SIPResponse r) { fail(); }
        @Override public void onConfirmed(Dialog d, SIPRequest a) { fail(); }
        @Override public void onFailed(Dialog d, SIPResponse r) { fail(); }
        @Override public void onRequestWithin(Dialog d, SIPRequest r, Direction x) { fail(); }
        @Override public void onResponseForwarded(Dialog d, SIPResponse r) { fail(); }
        @Override public void onResponseWithin(Dialog d, SIPResponse r) { fail(); }
        @Override public void onTerminated(Dialog d, SIPRequest b) { fail(); }
        @Override public void onDestroyed(Dialog d) { fail(); }
    }

    private final DialogHarness h = new DialogHarness();
    private final Recorder global = new Recorder();

    private static final List<String> ANSWERED_CALL = List.of(
            "created INVITE UNCONFIRMED",
            "responseForwarded 180 UNCONFIRMED",
            "early 180 EARLY",
            "responseForwarded 200 EARLY",
            "answered 200 CONFIRMED_NA",
            "confirmed ACK CONFIRMED",
            "requestWithin INFO DOWNSTREAM CONFIRMED",
            "responseWithin 200 INFO CONFIRMED",
            "requestWithin INVITE UPSTREAM CONFIRMED",
            "responseWithin 200 INVITE CONFIRMED",
            "terminated BYE CALLER_BYE ENDED");

    private Call answeredCallWithTraffic(String callId) {
        Call c = h.call(callId).establish();
        h.sequential(c.fromCaller("INFO").build(), UAC).respond(200);
        h.sequential(c.fromCallee("INVITE").contact(Call.contactOf(UAS)).build(), UAS).respond(200);
        return c;
    }

    @Test
    void globalListenerSeesTheWholeCallInOrder() {
        h.module.addListener(global);
        Call c = answeredCallWithTraffic("e1");
        DialogHarness.Seq bye = h.sequential(c.fromCaller("BYE").build(), UAC);
        List<String> expected = new ArrayList<>(ANSWERED_CALL);
        expected.add("destroyed ENDED");
        assertEquals(expected, global.events);
        assertSame(c.invite, global.args.get(0));
        assertSame(bye.request(), global.args.get(global.args.size() - 2));
    }

    @Test
    void destroyedIsTheLastEventEvenWhenTheByeIsAnsweredAfterwards() {
        h.module.addListener(global);
        Call c = h.call("e1b").establish();
        c.callerBye();   // BYE relayed, then its 200 goes back to the caller
        assertEquals("destroyed ENDED", global.events.get(global.events.size() - 1),
                "DialogListener.onDestroyed promises to be the last event: " + global.events);
    }

    @Test
    void perDialogListenerRunsAfterTheGlobalOnes() {
        List<String> order = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onAnswered(Dialog d, SIPResponse r) {
                order.add("global");
            }
        });
        Call c = h.call("e2").forward(UAS);
        c.dialog().addListener(global);
        c.dialog().addListener(new DialogListener() {
            @Override
            public void onAnswered(Dialog d, SIPResponse r) {
                order.add("own");
            }
        });
        c.respond(UAS, 200, "b1");
        assertEquals(List.of("global", "own"), order);
        assertEquals(List.of("responseForwarded 200 UNCONFIRMED", "answered 200 CONFIRMED_NA"), global.events);
        Dialog other = h.call("e3").dialog();
        assertFalse(global.events.stream().anyMatch(e -> e.startsWith("created")), "not called for " + other);
    }

    @Test
    void failureAndNoAnswerCallbacks() {
        h.module.addListener(global);
        Call c = h.call("e4").forward(UAS);
        c.respond(UAS, 486, "b1");
        assertEquals(List.of("created INVITE UNCONFIRMED", "responseForwarded 486 UNCONFIRMED", "failed 486 ENDED",
                "destroyed ENDED"), global.events);

        global.events.clear();
        Call dead = h.call("e5").forward(UAS);
        dead.respond(UAS, 180, "b1");
        h.wire.failLast();
        assertEquals(List.of("created INVITE UNCONFIRMED", "responseForwarded 180 UNCONFIRMED", "early 180 EARLY",
                "failed null ENDED", "destroyed ENDED"), global.events);
        assertNull(global.args.get(3));
    }

    @Test
    void expiryAndSpiralCallbacks() {
        DialogHarness t = new DialogHarness(DialogHarness.settings().withTimeouts(Duration.ofSeconds(10), true,
                Duration.ofSeconds(1)));
        t.module.addListener(global);
        Call c = t.call("e6").forward(DialogHarness.PROXY);
        t.call((SIPRequest) Msgs.parse(c.forwardedTo(DialogHarness.PROXY).encode()), DialogOptions.TRACK);
        global.events.clear();
        c.receive(DialogHarness.PROXY, c.answer(DialogHarness.PROXY, 200, "b1").build(), true);
        t.advance(Duration.ofSeconds(10));
        assertEquals(List.of("responseForwarded 200 UNCONFIRMED", "answered 200 CONFIRMED_NA", "expired ENDED"),
                global.events);
        t.advance(Duration.ofSeconds(1));
        assertEquals("destroyed ENDED", global.events.get(3));
    }

    @Test
    void spiraledCallbackCarriesTheReturningInvite() {
        h.module.addListener(global);
        Call c = h.call("e7").forward(DialogHarness.PROXY);
        SIPRequest back = (SIPRequest) Msgs.parse(c.forwardedTo(DialogHarness.PROXY).encode());
        h.call(back, DialogOptions.TRACK);
        assertEquals(List.of("created INVITE UNCONFIRMED", "spiraled UNCONFIRMED"), global.events);
        assertSame(back, global.args.get(1));
    }

    @Test
    void failingListenerStopsNeitherOthersNorTheStateChanges() {
        Thrower thrower = new Thrower();
        h.module.addListener(thrower);
        h.module.addListener(global);
        Call c = answeredCallWithTraffic("e8");
        c.dialog().addListener(thrower);
        Recorder own = new Recorder();
        c.dialog().addListener(own);
        h.sequential(c.fromCaller("BYE").build(), UAC);
        List<String> expected = new ArrayList<>(ANSWERED_CALL);
        expected.add("destroyed ENDED");
        assertEquals(expected, global.events);
        assertEquals(List.of("terminated BYE CALLER_BYE ENDED", "destroyed ENDED"), own.events);
        assertEquals(EndCause.CALLER_BYE, c.dialog().endCause());
        assertEquals(0, h.tracker.size());
        assertTrue(thrower.calls >= expected.size());
    }

    @Test
    void valuesAndFlags() {
        Dialog d = h.call("e9").dialog();
        assertNull(d.value("k"));
        assertEquals(Map.of(), d.values());
        d.setValue("k", "v1");
        d.setValue("k", "v2");
        d.setValue("other", "x");
        assertEquals("v2", d.value("k"));
        assertEquals(java.util.Map.of("k", "v2", "other", "x"), d.values());
        d.setValue("k", null);
        assertNull(d.value("k"));
        assertEquals(java.util.Map.of("other", "x"), d.values());

        assertFalse(d.isFlagSet("f"));
        d.resetFlag("f");
        d.setFlag("f");
        assertTrue(d.isFlagSet("f"));
        d.resetFlag("f");
        assertFalse(d.isFlagSet("f"));
        assertFalse(d.testAndSetFlag("g"), "was not set");
        assertTrue(d.isFlagSet("g"));
        assertTrue(d.testAndSetFlag("g"), "was set");
        assertFalse(d.isFlagSet("f"));
    }
}

package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.LINGER;
import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static dev.sipedge.dialog.DialogHarness.UAS2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forked INVITEs (one leg per To tag) and spirals (the INVITE coming back through us). */
class ForkAndSpiralTest {
    private final DialogHarness h = new DialogHarness();

    private static List<String> tags(Dialog d) {
        return d.calleeLegs().stream().map(Leg::tag).toList();
    }

    @Test
    void twoProvisionalsWithDifferentTagsGiveTwoLegs() {
        Call c = h.call("f1").forward(UAS, UAS2);
        c.respond(UAS, 180, "b1");
        c.respond(UAS2, 180, "b2");
        Dialog d = c.dialog();
        assertEquals(DialogState.EARLY, d.state());
        assertEquals(List.of("b1", "b2"), tags(d));
        assertEquals("b1", d.callee().tag(), "the first early leg stands for the callee until a 2xx chooses");
        assertEquals(UAS, d.calleeLeg("b1").flow().remote());
        assertEquals(UAS2, d.calleeLeg("b2").flow().remote());
        c.respond(UAS2, 180, "b2");
        assertEquals(2, d.calleeLegs().size(), "a repeated provisional adds no leg");
    }

    @Test
    void twoXxChoosesTheCalleeAndTheUnansweredForkIsPrunedWhenTheInviteEnds() {
        Call c = h.call("f2").forward(UAS, UAS2);
        c.respond(UAS, 180, "b1");
        c.respond(UAS2, 180, "b2");
        c.respond(UAS2, 200, "b2");
        Dialog d = c.dialog();
        assertEquals(DialogState.CONFIRMED_NA, d.state());
        assertEquals("b2", d.callee().tag());
        assertEquals(List.of("b2", "b1"), tags(d), "b1 lives on while the INVITE transaction does");
        c.ack("b2");
        h.advance(LINGER);
        assertTrue(c.serverTx.isTerminated());
        assertEquals(List.of("b2"), tags(d));
        assertEquals(DialogState.CONFIRMED, d.state());
    }

    @Test
    void failureOfANonChosenForkDropsOnlyItsLeg() {
        Call c = h.call("f3").forward(UAS, UAS2);
        c.respond(UAS, 180, "b1");
        c.respond(UAS2, 180, "b2");
        c.respondNotRelayed(UAS2, 486, "b2");
        Dialog d = c.dialog();
        assertEquals(List.of("b1"), tags(d));
        assertEquals(DialogState.EARLY, d.state());
        assertEquals(1, h.tracker.size());
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"));
    }

    @Test
    void failureOfTheFirstEarlyForkLetsTheNextStandIn() {
        Call c = h.call("f4").forward(UAS, UAS2);
        c.respond(UAS, 180, "b1");
        c.respond(UAS2, 180, "b2");
        c.respondNotRelayed(UAS, 486, "b1");
        Dialog d = c.dialog();
        assertEquals("b2", d.callee().tag());
        assertEquals(List.of("b2"), tags(d));
        c.respond(UAS2, 200, "b2");
        assertEquals(DialogState.CONFIRMED_NA, d.state());
    }

    @Test
    void everyForkFailingFailsTheDialog() {
        Call c = h.call("f5").forward(UAS, UAS2);
        c.respond(UAS, 180, "b1");
        c.respondNotRelayed(UAS, 486, "b1");
        c.respond(UAS2, 603, "b2");
        assertEquals(EndCause.FAILED, c.dialog().endCause());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void secondTwoXxMakesAnExtraLegThatAByeEndsAlone() {
        Call c = h.call("f6").forward(UAS, UAS2);
        c.respond(UAS, 200, "b1");
        c.respond(UAS2, 200, "b2");
        Dialog d = c.dialog();
        assertEquals("b1", d.callee().tag());
        assertEquals(List.of("b1", "b2"), tags(d));
        c.ack("b1");
        c.ack("b2");
        assertEquals(DialogState.CONFIRMED, d.state());
        h.advance(LINGER);
        assertEquals(List.of("b1", "b2"), tags(d), "an answered extra leg outlives the INVITE transaction");

        DialogHarness.Seq bye = h.sequential(c.fromCaller("BYE", "b2").build(), UAC);
        bye.respond(200);
        assertSame(d, bye.dialog());
        assertEquals(List.of("b1"), tags(d));
        assertEquals(DialogState.CONFIRMED, d.state(), "BYE on the extra leg does not end the dialog");
        assertNull(d.endCause());
        assertEquals(1, h.tracker.size());

        c.callerBye();
        assertEquals(EndCause.CALLER_BYE, d.endCause());
        assertEquals(0, h.tracker.size());
    }

    @Test
    void extraLegMayAlsoBeEndedByItsCallee() {
        Call c = h.call("f7").forward(UAS, UAS2);
        c.respond(UAS, 200, "b1");
        c.respond(UAS2, 200, "b2");
        DialogHarness.Seq bye = h.sequential(c.fromCallee("BYE", "b2").build(), UAS2);
        assertEquals(Direction.UPSTREAM, bye.matched().direction());
        assertEquals(List.of("b1"), tags(c.dialog()));
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
    }

    // ---- spirals ----

    private static SIPRequest copy(SIPRequest r) {
        return (SIPRequest) Msgs.parse(r.encode());
    }

    @Test
    void spiralJoinsTheDialog() {
        List<SIPRequest> spiraled = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onSpiraled(Dialog dialog, SIPRequest invite) {
                spiraled.add(invite);
            }
        });
        Call first = h.call("sp1").forward(DialogHarness.PROXY);
        SIPRequest back = copy(first.forwardedTo(DialogHarness.PROXY));
        Call second = h.call(back, DialogOptions.TRACK);

        assertTrue(second.tracked().spiral());
        assertFalse(first.tracked().spiral());
        assertSame(first.dialog(), second.dialog());
        assertEquals(first.tracked().recordRouteParams(), second.tracked().recordRouteParams());
        assertEquals(List.of(back), spiraled);
        assertEquals(1.0, h.counter("sipedge_dialogs_processed"), "a spiral is not a new dialog");
        assertEquals(1, h.tracker.size());
        assertEquals(1, h.tracker.transactions.initialInvites.size(), "only the first pass drives the state");

        // The callee answers the inner pass; the 200 then comes back through the outer one.
        second.forward(UAS);
        second.respond(UAS, 200, "b1");
        SIPResponse toOuter = (SIPResponse) Msgs.parse(second.lastRelayed.encode());
        Dialog d = first.dialog();
        assertEquals(DialogState.UNCONFIRMED, d.state(), "the inner pass's response does not move the state");
        first.receive(DialogHarness.PROXY, toOuter, true);
        assertEquals(DialogState.CONFIRMED_NA, d.state());
        assertEquals(List.of("b1"), tags(d));
        assertEquals(UAS, d.callee().flow().remote(), "the flow of the pass nearest the callee");
    }

    @Test
    void sameCallIdAndTagWithAnotherCseqIsNotASpiral() {
        Call first = h.call("sp2");
        Call other = h.call(Msgs.invite("sp2").cseq(2).build(), DialogOptions.TRACK);
        assertFalse(other.tracked().spiral());
        assertNotSame(first.dialog(), other.dialog());
        assertEquals(2, h.tracker.findByCallId("sp2").size());
    }

    @Test
    void withSpiralDetectionOffTheSpiralIsASecondDialog() {
        DialogHarness off = new DialogHarness(DialogHarness.settings().withDetectSpirals(false));
        Call first = off.call("sp3").forward(DialogHarness.PROXY);
        Call second = off.call(copy(first.forwardedTo(DialogHarness.PROXY)), DialogOptions.TRACK);
        assertFalse(second.tracked().spiral());
        assertNotSame(first.dialog(), second.dialog());
        assertEquals(2.0, off.counter("sipedge_dialogs_processed"));
        assertEquals(2, off.tracker.findByCallId("sp3").size());
        assertEquals(2, off.tracker.size());
    }

    @Test
    void anEndedDialogIsNoSpiralTarget() {
        DialogHarness delayed = new DialogHarness(DialogHarness.settings()
                .withTimeouts(Duration.ofHours(1), true, Duration.ofSeconds(10)));
        Call first = delayed.call("sp4").forward(UAS);
        first.respond(UAS, 486, "b1");
        assertEquals(DialogState.ENDED, first.dialog().state());
        Call again = delayed.call(Msgs.invite("sp4").build(), DialogOptions.TRACK);
        assertFalse(again.tracked().spiral());
        assertNotSame(first.dialog(), again.dialog());
    }
}

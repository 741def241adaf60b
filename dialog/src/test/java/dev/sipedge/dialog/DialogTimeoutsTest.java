package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lifetimes on the manual timer: defaults, per route, by API, reset by requests, expiry, delete delay. */
class DialogTimeoutsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static DialogHarness harness(Duration timeout, boolean reset, Duration deleteDelay) {
        return new DialogHarness(DialogHarness.settings().withTimeouts(timeout, reset, deleteDelay));
    }

    private static Dialog answer(Call c) {
        c.forward(UAS);
        c.respond(UAS, 200, "b1");
        c.ack("b1");
        return c.dialog();
    }

    @Test
    void defaultTimeoutExpiresTheDialog() {
        DialogHarness h = harness(MINUTE, true, Duration.ZERO);
        List<String> events = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onExpired(Dialog dialog) {
                events.add("expired " + dialog.state() + " " + dialog.endCause());
            }

            @Override
            public void onDestroyed(Dialog dialog) {
                events.add("destroyed");
            }
        });
        Dialog d = answer(h.call("t1"));
        assertEquals(MINUTE, d.lifetime());
        h.advance(MINUTE.minusSeconds(1));
        assertEquals(DialogState.CONFIRMED, d.state());
        h.advance(Duration.ofSeconds(1));
        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.EXPIRED, d.endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_expired"));
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(List.of("expired ENDED EXPIRED", "destroyed"), events);
        assertEquals(0, h.tracker.size());
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"));
    }

    @Test
    void lifetimeStartsAtTheAnswerNotAtTheInvite() {
        DialogHarness h = harness(MINUTE, true, Duration.ZERO);
        Call c = h.call("t2").forward(UAS);
        c.respond(UAS, 180, "b1");
        h.advance(Duration.ofSeconds(50));
        c.respond(UAS, 200, "b1");
        h.advance(Duration.ofSeconds(50));
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
        h.advance(Duration.ofSeconds(10));
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
    }

    @Test
    void routeTimeoutOverridesTheDefault() {
        DialogHarness h = harness(Duration.ofHours(1), true, Duration.ZERO);
        Call c = h.call(Msgs.invite("t3").build(), DialogOptions.TRACK.withTimeout(Duration.ofSeconds(10)));
        Dialog d = answer(c);
        assertEquals(Duration.ofSeconds(10), d.lifetime());
        h.advance(Duration.ofSeconds(10));
        assertEquals(EndCause.EXPIRED, d.endCause());
    }

    @Test
    void setLifetimeRestartsFromNowWhenAnswered() {
        DialogHarness h = harness(MINUTE, true, Duration.ZERO);
        Dialog d = answer(h.call("t4"));
        h.advance(Duration.ofSeconds(30));
        d.setLifetime(Duration.ofSeconds(100));
        assertEquals(Duration.ofSeconds(100), d.lifetime());
        h.advance(Duration.ofSeconds(99));
        assertEquals(DialogState.CONFIRMED, d.state(), "old deadline (60 s) passed, new one not yet");
        h.advance(Duration.ofSeconds(1));
        assertEquals(EndCause.EXPIRED, d.endCause());
    }

    @Test
    void setLifetimeBeforeTheAnswerAppliesAtTheAnswer() {
        DialogHarness h = harness(MINUTE, true, Duration.ZERO);
        Call c = h.call("t5");
        c.dialog().setLifetime(Duration.ofSeconds(5));
        h.advance(Duration.ofSeconds(30));
        assertEquals(DialogState.UNCONFIRMED, c.dialog().state());
        Dialog d = answer(c);
        h.advance(Duration.ofSeconds(5));
        assertEquals(EndCause.EXPIRED, d.endCause());
    }

    @Test
    void setLifetimeRejectsNonPositive() {
        Dialog d = new DialogHarness().call("t6").dialog();
        assertThrows(IllegalArgumentException.class, () -> d.setLifetime(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.setLifetime(Duration.ofSeconds(-1)));
    }

    @Test
    void sequentialRequestMovesTheDeadline() {
        DialogHarness h = harness(MINUTE, true, Duration.ZERO);
        Call c = h.call("t7");
        Dialog d = answer(c);
        h.advance(Duration.ofSeconds(40));
        h.sequential(c.fromCaller("INFO").build(), UAC).respond(200);
        h.advance(Duration.ofSeconds(30));
        assertEquals(DialogState.CONFIRMED, d.state(), "70 s after the answer, 30 s after the INFO");
        assertEquals(1, h.timer.pendingDelays().stream().filter(x -> x.compareTo(Duration.ofSeconds(31)) < 0
                && x.compareTo(Duration.ofSeconds(29)) > 0).count(), "re-armed for the rest of the new lifetime");
        h.advance(Duration.ofSeconds(30));
        assertEquals(EndCause.EXPIRED, d.endCause());
    }

    @Test
    void withoutResetASequentialRequestDoesNotMoveTheDeadline() {
        DialogHarness h = harness(MINUTE, false, Duration.ZERO);
        Call c = h.call("t8");
        Dialog d = answer(c);
        h.advance(Duration.ofSeconds(40));
        h.sequential(c.fromCaller("INFO").build(), UAC).respond(200);
        h.advance(Duration.ofSeconds(20));
        assertEquals(EndCause.EXPIRED, d.endCause());
    }

    @Test
    void byeCancelsTheLifetimeTimer() {
        DialogHarness h = harness(MINUTE, true, Duration.ZERO);
        Call c = h.call("t9");
        Dialog d = answer(c);
        c.callerBye();
        h.advance(Duration.ofMinutes(5));
        assertEquals(EndCause.CALLER_BYE, d.endCause());
        assertEquals(0.0, h.counter("sipedge_dialogs_expired"));
        assertEquals(0, h.timer.pendingCount(), "no timer left behind (transactions included)");
    }

    @Test
    void deleteDelayKeepsAnEndedDialogMatchableReadOnlyThenFreesIt() {
        DialogHarness h = harness(Duration.ofHours(1), true, Duration.ofSeconds(5));
        List<String> destroyed = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onDestroyed(Dialog dialog) {
                destroyed.add(dialog.id());
            }
        });
        Call c = h.call("t10");
        Dialog d = answer(c);
        c.callerBye();
        assertEquals(DialogState.ENDED, d.state());
        assertSame(d, h.tracker.find(d.id()), "kept during the delete delay");
        assertEquals(1, h.tracker.size());
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"), "ended dialogs are not active");
        assertTrue(destroyed.isEmpty());

        DialogHarness.Seq late = h.sequential(c.fromCallee("BYE").build(), UAS);   // a crossing BYE
        assertSame(d, late.dialog());
        assertInstanceOf(Sequential.Matched.class, late.result());
        assertEquals(EndCause.CALLER_BYE, d.endCause(), "read-only: the late BYE changes nothing");
        assertFalse(h.tracker.transactions.within.containsKey(late.tx()), "no response tracking for an ended dialog");

        h.advance(Duration.ofSeconds(5));
        assertNull(h.tracker.find(d.id()));
        assertEquals(0, h.tracker.size());
        assertEquals(List.of(d.id()), destroyed);
        assertTrue(h.sequential(c.fromCallee("BYE").build(), UAS).unmatched());
    }

    @Test
    void failedDialogAlsoWaitsForTheDeleteDelay() {
        DialogHarness h = harness(Duration.ofHours(1), true, Duration.ofSeconds(5));
        Call c = h.call("t11").forward(UAS);
        c.respond(UAS, 486, "b1");
        assertEquals(1, h.tracker.size());
        h.advance(Duration.ofSeconds(5));
        assertEquals(0, h.tracker.size());
    }
}

package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import gov.nist.javax.sip.message.SIPRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dialog.noack-timeout} on the manual timer: a 2xx that is never ACKed ends the dialog
 * after it (cause {@link EndCause#NO_ACK}), not after the lifetime; the ACK hands the dialog back
 * to its lifetime.
 */
class DialogNoAckTimeoutTest {
    private static final Duration NO_ACK = DialogSettings.DEFAULT_NOACK_TIMEOUT;
    private static final Duration HOUR = Duration.ofHours(1);

    private final RecordingSender sender = new RecordingSender();

    private DialogHarness harness(boolean resetOnSequential) {
        DialogHarness h = new DialogHarness(DialogHarness.settings().withTimeouts(HOUR, resetOnSequential, Duration.ZERO));
        h.tracker.useSender(sender);
        return h;
    }

    private static Call answeredNotAcked(DialogHarness h, String callId, DialogOptions options) {
        Call c = h.call(Msgs.invite(callId).build(), options).forward(UAS);
        c.respond(UAS, 180, "b1");
        c.respond(UAS, 200, "b1");
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
        return c;
    }

    private static double endedBy(DialogHarness h, String cause) {
        return h.registry.get("sipedge_dialogs_ended").tag("cause", cause).counter().count();
    }

    private static List<String> events(DialogHarness h) {
        List<String> events = new ArrayList<>();
        h.module.addListener(new DialogListener() {
            @Override
            public void onExpired(Dialog d) {
                events.add("expired " + d.endCause());
            }

            @Override
            public void onTerminated(Dialog d, SIPRequest bye) {
                events.add("terminated " + d.endCause());
            }

            @Override
            public void onDestroyed(Dialog d) {
                events.add("destroyed");
            }
        });
        return events;
    }

    @Test
    void anUnackedAnswerEndsAfterTheNoAckTimeoutNotTheLifetime() {
        DialogHarness h = harness(true);
        List<String> events = events(h);
        assertEquals(0.0, endedBy(h, "no_ack"), "the cause is registered before any call");
        Call c = answeredNotAcked(h, "na1", DialogOptions.TRACK);
        Dialog d = c.dialog();
        assertEquals(List.of(NO_ACK), h.timer.pendingDelays().stream().filter(x -> x.compareTo(NO_ACK) == 0).toList(),
                "one timer toward the no-ACK deadline");

        h.advance(NO_ACK.minusMillis(1));
        assertEquals(DialogState.CONFIRMED_NA, d.state());
        assertEquals(1.0, h.gauge("sipedge_dialogs_active"));
        h.advance(Duration.ofMillis(1));

        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.NO_ACK, d.endCause());
        assertEquals(1.0, endedBy(h, "no_ack"));
        assertEquals(0.0, h.counter("sipedge_dialogs_expired"), "not the lifetime");
        assertEquals(0.0, h.counter("sipedge_dialogs_failed"), "it was answered");
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"));
        assertEquals(List.of("expired NO_ACK", "destroyed"), events);
        assertTrue(sender.sent.isEmpty(), "no BYE without bye-on-timeout");
        assertEquals(0, h.tracker.size());
    }

    @Test
    void anAckJustBeforeTheNoAckTimeoutKeepsTheCallUpForItsLifetime() {
        DialogHarness h = harness(true);
        Call c = answeredNotAcked(h, "na2", DialogOptions.TRACK);
        h.advance(NO_ACK.minusSeconds(1));
        c.ack("b1");
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        assertTrue(h.timer.pendingDelays().contains(HOUR), "the ACK replaced the no-ACK timer by the lifetime: "
                + h.timer.pendingDelays());

        h.advance(Duration.ofSeconds(2));
        assertEquals(DialogState.CONFIRMED, c.dialog().state(), "past the no-ACK deadline");
        h.advance(HOUR.minusSeconds(2).minusMillis(1));
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        h.advance(Duration.ofMillis(1));
        assertEquals(EndCause.EXPIRED, c.dialog().endCause(), "the lifetime counts from the ACK (reset on sequential)");
        assertEquals(0.0, endedBy(h, "no_ack"));
    }

    @Test
    void withoutResetTheLifetimeStillCountsFromTheAnswer() {
        DialogHarness h = harness(false);
        Call c = answeredNotAcked(h, "na3", DialogOptions.TRACK);
        h.advance(NO_ACK.minusSeconds(1));
        c.ack("b1");
        h.advance(HOUR.minus(NO_ACK).plusSeconds(1).minusMillis(1));
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        h.advance(Duration.ofMillis(1));
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
    }

    @Test
    void aLifetimeShorterThanTheNoAckTimeoutEndsTheCallFirst() {
        DialogHarness h = harness(true);
        Call c = answeredNotAcked(h, "na4", DialogOptions.TRACK.withTimeout(Duration.ofSeconds(10)));
        h.advance(Duration.ofSeconds(10));
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
    }

    @Test
    void whenBothFallTogetherTheLifetimeWins() {
        DialogHarness h = harness(true);
        Call c = answeredNotAcked(h, "na5", DialogOptions.TRACK.withTimeout(NO_ACK));
        h.advance(NO_ACK);
        assertEquals(EndCause.EXPIRED, c.dialog().endCause());
        assertEquals(0.0, endedBy(h, "no_ack"));
    }

    @Test
    void aNewLifetimeBeforeTheAckKeepsTheNoAckDeadline() {
        DialogHarness h = harness(true);
        Call c = answeredNotAcked(h, "na6", DialogOptions.TRACK);
        h.advance(Duration.ofSeconds(30));
        c.dialog().setLifetime(Duration.ofHours(2));
        h.advance(Duration.ofSeconds(30));
        assertEquals(EndCause.NO_ACK, c.dialog().endCause());
    }

    @Test
    void aReInviteAnsweredButNeverAckedDoesNotEndAConfirmedCall() {
        DialogHarness h = harness(true);
        Call c = h.call(Msgs.invite("na7").build(), DialogOptions.TRACK).establish();
        h.advance(Duration.ofSeconds(10));
        DialogHarness.Seq reinvite = h.sequential(c.fromCaller("INVITE").build(), UAC);
        reinvite.respond(200, Call.contactOf(UAS), null);
        h.advance(NO_ACK.multipliedBy(3));
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
        h.advance(HOUR);
        assertEquals(EndCause.EXPIRED, c.dialog().endCause(), "the lifetime, counted from the re-INVITE");
        assertEquals(0.0, endedBy(h, "no_ack"));
    }

    @Test
    void withByeOnTimeoutBothLegsGetAByeThatSaysTheAckIsMissing() {
        DialogHarness h = harness(true);
        List<String> events = events(h);
        Call c = answeredNotAcked(h, "na8", DialogOptions.TRACK.withByeOnTimeout(true));
        h.advance(NO_ACK);

        assertEquals(2, sender.of("BYE").size());
        RecordingSender.Sent towardCaller = sender.toward("a-na8", "BYE");
        RecordingSender.Sent towardCallee = sender.toward("b1", "BYE");
        for (RecordingSender.Sent bye : List.of(towardCaller, towardCallee)) {
            assertEquals("Reason: " + EndCause.NO_ACK.reasonHeader(), bye.request.getHeader("Reason").toString().trim());
        }
        assertEquals(UAC, towardCaller.hop.flow().remote());
        assertEquals(UAS, towardCallee.hop.flow().remote());
        assertEquals(EndCause.NO_ACK, c.dialog().endCause());
        assertEquals(1.0, endedBy(h, "no_ack"));
        assertEquals(0.0, h.counter("sipedge_dialogs_expired"));
        assertEquals(2.0, h.registry.get("sipedge_dialog_requests_sent").tag("kind", "bye").counter().count());
        assertEquals(List.of("expired NO_ACK"), events);

        towardCaller.answer(200);
        towardCallee.answer(200);
        assertEquals(0, h.tracker.size());
        assertEquals(List.of("expired NO_ACK", "destroyed"), events);
    }

    @Test
    void theTimeoutIsReadFromTheConfigAndMustBePositive() {
        assertEquals(NO_ACK, DialogSettings.from(ConfigFactory.load()).noAckTimeout());
        assertEquals(Duration.ofSeconds(60), NO_ACK, "Kamailio's default");
        assertEquals(Duration.ofSeconds(2), DialogSettings.from(ConfigFactory.parseString(
                "sipedge.dialog.noack-timeout = 2s").withFallback(ConfigFactory.defaultReference()).resolve())
                .noAckTimeout());
        assertThrows(IllegalArgumentException.class, () -> DialogHarness.settings().withNoAckTimeout(Duration.ZERO));
        assertEquals(Duration.ofSeconds(5),
                DialogHarness.settings().withNoAckTimeout(Duration.ofSeconds(5)).withValidate(true).noAckTimeout(),
                "kept by the other with-methods");
    }

    @Test
    void aShortConfiguredTimeoutApplies() {
        DialogHarness h = new DialogHarness(DialogHarness.settings().withNoAckTimeout(Duration.ofSeconds(2)));
        Call c = answeredNotAcked(h, "na9", DialogOptions.TRACK);
        h.advance(Duration.ofMillis(1999));
        assertEquals(DialogState.CONFIRMED_NA, c.dialog().state());
        h.advance(Duration.ofMillis(1));
        assertEquals(EndCause.NO_ACK, c.dialog().endCause());
    }
}

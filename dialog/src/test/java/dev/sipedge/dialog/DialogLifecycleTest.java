package dev.sipedge.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sipedge.transaction.EndReason;
import dev.sipedge.transaction.Flow;
import dev.sipedge.transaction.ManualTimer;
import dev.sipedge.transaction.ServerTransaction;
import dev.sipedge.transaction.TransportKind;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DialogLifecycle} alone, one event at a time, on a manual timer: for each transition the
 * table and its gauges, the bookkeeping, the timers, the pings, the store, the counters, the
 * listeners in order, and the freeing. The tracker, the transaction layer and messages on a wire
 * are not involved: the test is the one that reports events.
 */
class DialogLifecycleTest {
    private static final long WALL = 1_700_000_000_000L;
    private static final Flow CALLER_FLOW = new Flow(TransportKind.UDP, new InetSocketAddress("127.0.0.1", 5060),
            new InetSocketAddress("127.0.0.1", 5061));
    private static final Flow CALLEE_FLOW = new Flow(TransportKind.UDP, new InetSocketAddress("127.0.0.1", 5060),
            new InetSocketAddress("127.0.0.1", 5070));

    private final ManualTimer timer = new ManualTimer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DialogTable table = new DialogTable();
    private final DialogProfiles profiles = new DialogProfiles(List.of(), List.of("calls"));
    private final RecordingSender sender = new RecordingSender();
    private final LifecycleRecorder recorder = new LifecycleRecorder();
    private final List<String> events = recorder.events;
    private final List<String> writes = recorder.writes;
    private DialogLifecycle lifecycle;
    private DialogHome home;
    private long sequences;

    private void start(DialogSettings settings) {
        DialogMetrics metrics = new DialogMetrics(registry, List.of(), profiles);
        DurableChanges store = recorder.store();
        InDialogRequests requests = new InDialogRequests(List.of());
        DialogEnder ender = new DialogEnder(requests, 0, metrics, () -> sender);
        lifecycle = new DialogLifecycle(table, new DialogTransactions(), new DialogEvents(List.of(recorder.listener())),
                metrics, () -> store, ender, settings, timer, Runnable::run, () -> timer.now().toNanos(), () -> WALL,
                requests, () -> sender);
        home = new DialogHome(lifecycle, Runnable::run, s -> "n1." + s, profiles);
    }

    private static DialogSettings settings() {
        return DialogHarness.settings().withProfiles(List.of(), List.of("calls"));
    }

    /** A created dialog (in the table, in profile "calls", lifetime 60 s) with a callee leg. */
    private Dialog created(DialogOptions options) {
        Leg caller = new Leg("a", "sip:alice@example.com", "sip:alice@127.0.0.1:5061", CALLER_FLOW, List.of());
        caller.seenFrom(1);
        Dialog d = new Dialog(++sequences, "call-" + sequences, 1, caller, home, options, WALL - 5000);
        d.lifetimeMillis = Duration.ofSeconds(60).toMillis();
        assertTrue(d.addToProfile("calls", null));
        Leg callee = new Leg("b", "sip:bob@example.com", "sip:bob@127.0.0.1:5070", CALLEE_FLOW, List.of());
        callee.sentTo(1);
        d.addCalleeLeg(callee);
        lifecycle.created(d, invite());
        return d;
    }

    private Dialog confirmed(DialogOptions options) {
        Dialog d = created(options);
        lifecycle.apply(d, DialogEvent.SUCCESS, null, response(200));
        lifecycle.apply(d, DialogEvent.ACK, null, ack());
        recorder.clear();
        return d;
    }

    private static SIPRequest invite() {
        return Msgs.invite("c").build();
    }

    private static SIPRequest ack() {
        return Msgs.request("ACK").toTag("b").build();
    }

    private static SIPRequest bye() {
        return Msgs.request("BYE").toTag("b").build();
    }

    private static SIPResponse response(int status) {
        return Msgs.response(invite(), status).toTag("b").build();
    }

    /**
     * An INVITE server transaction the lifecycle only hands to the sender's cancel; it keeps
     * Object's identity (hashCode, equals), as real transactions do, for the maps that hold it.
     */
    private static ServerTransaction serverTransaction() {
        return (ServerTransaction) Proxy.newProxyInstance(DialogLifecycleTest.class.getClassLoader(),
                new Class<?>[] {ServerTransaction.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void createdEntersTheTableCountedAndReported() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);

        assertSame(d, table.bySequence(d.sequence));
        assertEquals(DialogState.UNCONFIRMED, d.state());
        assertEquals(1.0, counter("sipedge_dialogs_processed"));
        assertEquals(List.of("created"), events);
        assertEquals(List.of(), writes, "nothing unanswered is stored");
    }

    @Test
    void provisionalMakesItEarlyOnceAndWritesNothing() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);

        assertTrue(lifecycle.apply(d, DialogEvent.PROVISIONAL, null, response(180)));
        assertFalse(lifecycle.apply(d, DialogEvent.PROVISIONAL, null, response(183)), "already early");

        assertEquals(1, table.early());
        assertEquals(List.of("created", "early 180 EARLY"), events);
        assertEquals(List.of(), writes);
        assertEquals(0, timer.pendingCount(), "an early dialog is bounded by Timer C, not by its lifetime");
    }

    @Test
    void successAnswersStartsTheLifetimeAndWritesTheDialog() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);
        lifecycle.apply(d, DialogEvent.PROVISIONAL, null, response(180));

        assertTrue(lifecycle.apply(d, DialogEvent.SUCCESS, null, response(200)));

        assertEquals(DialogState.CONFIRMED_NA, d.state());
        assertEquals(WALL, d.answeredAtMillis());
        assertEquals(0, table.early());
        assertEquals(1, table.active());
        assertEquals(List.of("changed CONFIRMED_NA"), writes);
        assertEquals(List.of("created", "early 180 EARLY", "answered 200 CONFIRMED_NA"), events);
        assertEquals(Duration.ofSeconds(60), lifecycle.timeLeft(d), "the no-ACK wait (60 s) is not shorter");
        assertEquals(1, timer.pendingCount(), "one wheel entry per dialog");
    }

    @Test
    void ackConfirmsAndStartsThePings() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK.withPings(PingMode.OPTIONS, PingMode.NONE));
        lifecycle.apply(d, DialogEvent.SUCCESS, null, response(200));
        events.clear();

        assertTrue(lifecycle.apply(d, DialogEvent.ACK, null, ack()));
        assertFalse(lifecycle.apply(d, DialogEvent.ACK, null, ack()), "a second ACK changes nothing");

        assertEquals(DialogState.CONFIRMED, d.state());
        assertEquals(List.of("confirmed ACK CONFIRMED"), events);
        timer.advance(DialogRequestSettings.defaults().optionsPingInterval());
        assertEquals(1, sender.sent.size());
        assertEquals("OPTIONS", sender.sent.get(0).method());
        assertEquals(d.caller().remoteTarget(), sender.sent.get(0).request.getRequestURI().toString());
    }

    @Test
    void byeEndsCountsWritesTheEndAndFreesAtOnceWithoutDeleteDelay() {
        start(settings());
        Dialog d = confirmed(DialogOptions.TRACK);

        assertTrue(lifecycle.apply(d, DialogEvent.BYE, EndCause.CALLER_BYE, bye()));

        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.CALLER_BYE, d.endCause());
        assertEquals(List.of("ended"), writes);
        assertEquals(1.0, counter("sipedge_dialogs_ended", "cause", "caller_bye"));
        assertEquals(0.0, counter("sipedge_dialogs_failed"));
        assertEquals(List.of("terminated BYE CALLER_BYE profiles=true", "destroyed"), events,
                "the listener still sees the memberships; freeing follows");
        assertNull(table.bySequence(d.sequence));
        assertTrue(d.destroyed);
        assertEquals(0, profiles.get("calls").size(null));
        assertEquals(0, timer.pendingCount(), "the lifetime timer is cancelled");
        assertFalse(lifecycle.apply(d, DialogEvent.BYE, EndCause.CALLER_BYE, bye()), "ENDED is final");
    }

    @Test
    void withADeleteDelayTheEndedDialogStaysMatchableUntilItRunsOut() {
        start(settings().withTimeouts(Duration.ofHours(12), true, Duration.ofSeconds(10)));
        Dialog d = confirmed(DialogOptions.TRACK);

        lifecycle.apply(d, DialogEvent.BYE, EndCause.CALLEE_BYE, bye());
        assertSame(d, table.bySequence(d.sequence));
        assertEquals(0, table.active());
        timer.advance(Duration.ofSeconds(9));
        assertFalse(d.destroyed);

        timer.advance(Duration.ofSeconds(1));
        assertTrue(d.destroyed);
        assertNull(table.bySequence(d.sequence));
        assertEquals("destroyed", events.get(events.size() - 1));
    }

    @Test
    void theLifetimeTimerProducesTheTimeoutEvent() {
        start(settings());
        Dialog d = confirmed(DialogOptions.TRACK);

        timer.advance(Duration.ofSeconds(59));
        assertEquals(DialogState.CONFIRMED, d.state());
        timer.advance(Duration.ofSeconds(1));

        assertEquals(EndCause.EXPIRED, d.endCause());
        assertEquals(1.0, counter("sipedge_dialogs_expired"));
        assertEquals(List.of("expired EXPIRED", "destroyed"), events);
        assertEquals(List.of("ended"), writes);
        assertTrue(sender.sent.isEmpty(), "no BYE without bye-on-timeout");
    }

    @Test
    void aMissingAckEndsTheDialogAfterTheNoAckTimeout() {
        start(settings().withNoAckTimeout(Duration.ofSeconds(5)));
        Dialog d = created(DialogOptions.TRACK);
        lifecycle.apply(d, DialogEvent.SUCCESS, null, response(200));

        timer.advance(Duration.ofSeconds(5));

        assertEquals(DialogState.ENDED, d.state());
        assertEquals(EndCause.NO_ACK, d.endCause());
        assertEquals("expired NO_ACK", events.get(events.size() - 2));
    }

    @Test
    void byeOnTimeoutSendsBothByesAndFreesOnlyWhenBothAreDone() {
        start(settings());
        Dialog d = confirmed(DialogOptions.TRACK.withByeOnTimeout(true));

        timer.advance(Duration.ofSeconds(60));

        assertEquals(DialogState.ENDED, d.state());
        assertEquals(List.of("BYE", "BYE"), sender.sent.stream().map(RecordingSender.Sent::method).toList());
        assertTrue(d.terminating());
        assertEquals(0, profiles.get("calls").size(null), "the profiles are left at once");
        assertEquals(List.of("expired EXPIRED"), events);
        sender.sent.get(0).answer(200);
        assertFalse(d.destroyed, "one BYE still runs");
        sender.sent.get(1).end(EndReason.TIMEOUT, false);
        assertTrue(d.destroyed);
        assertEquals(List.of("expired EXPIRED", "destroyed"), events);
    }

    @Test
    void anOperatorEndOfAConfirmedDialogIsALocalEnd() {
        start(settings());
        Dialog d = confirmed(DialogOptions.TRACK);

        assertTrue(lifecycle.terminate(d, EndCause.OPERATOR, null));
        assertFalse(lifecycle.terminate(d, EndCause.OPERATOR, null), "once");

        assertEquals(EndCause.OPERATOR, d.endCause());
        assertEquals(List.of("terminated - OPERATOR profiles=true"), events);
        assertEquals(2, sender.sent.size());
        sender.sent.forEach(s -> s.answer(200));
        assertTrue(d.destroyed);
    }

    @Test
    void anOperatorEndOfAnEarlyDialogCancelsAndTheFailureCarriesItsCause() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);
        d.initialInvite = serverTransaction();
        lifecycle.apply(d, DialogEvent.PROVISIONAL, null, response(180));

        assertTrue(lifecycle.terminate(d, EndCause.OPERATOR, null));
        assertEquals(1, sender.cancels.size());
        assertEquals(DialogState.EARLY, d.state(), "the 487 ends it");

        lifecycle.apply(d, DialogEvent.FAILURE, EndCause.FAILED, response(487));
        assertEquals(EndCause.OPERATOR, d.endCause());
        assertEquals(1.0, counter("sipedge_dialogs_failed"));
    }

    @Test
    void aFailureEndsAnUnansweredDialogAsFailed() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);

        assertTrue(lifecycle.apply(d, DialogEvent.FAILURE, EndCause.FAILED, response(486)));

        assertEquals(List.of("created", "failed 486 FAILED", "destroyed"), events);
        assertEquals(1.0, counter("sipedge_dialogs_failed"));
        assertEquals(List.of("ended"), writes, "the store hears of every end (it may hold nothing)");
    }

    @Test
    void theInviteTransactionGoneEndsAnUnansweredDialogWithoutResponse() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);

        assertTrue(lifecycle.apply(d, DialogEvent.TRANSACTION_GONE, EndCause.NOT_ANSWERED, null));

        assertEquals(EndCause.NOT_ANSWERED, d.endCause());
        assertEquals(List.of("created", "failed - NOT_ANSWERED", "destroyed"), events);
    }

    @Test
    void eventsTheTableIgnoresHaveNoEffect() {
        start(settings());
        Dialog d = confirmed(DialogOptions.TRACK);

        for (DialogEvent e : List.of(DialogEvent.PROVISIONAL, DialogEvent.SUCCESS, DialogEvent.FAILURE,
                DialogEvent.TRANSACTION_GONE, DialogEvent.ACK)) {
            assertFalse(lifecycle.apply(d, e, EndCause.FAILED, e == DialogEvent.ACK ? ack() : response(500)), e.name());
        }
        assertEquals(DialogState.CONFIRMED, d.state());
        assertEquals(List.of(), events);
        assertEquals(List.of(), writes);
    }

    @Test
    void anEarlyByeIsHeldForTheRaceTimeoutBeforeItIsFreed() {
        start(settings().withRequests(new DialogRequestSettings(Duration.ofSeconds(40), Duration.ofSeconds(300), 1,
                List.of(), 0, true, Duration.ofSeconds(5))));
        Dialog d = created(DialogOptions.TRACK);
        lifecycle.apply(d, DialogEvent.PROVISIONAL, null, response(180));

        lifecycle.apply(d, DialogEvent.BYE, EndCause.CALLER_BYE, bye());
        assertEquals(DialogState.ENDED, d.state());
        assertFalse(d.destroyed, "a 2xx may have crossed the BYE");

        timer.advance(Duration.ofSeconds(5));
        assertTrue(d.destroyed);
    }

    @Test
    void durableChangesAreWrittenOnlyWhileAnswered() {
        start(settings());
        Dialog d = created(DialogOptions.TRACK);
        d.setValue("k", "v");
        assertEquals(List.of(), writes, "unanswered");

        lifecycle.apply(d, DialogEvent.SUCCESS, null, response(200));
        writes.clear();
        d.setValue("k", "w");
        d.setFlag("f");
        d.setLifetime(Duration.ofSeconds(90));
        assertEquals(List.of("changed CONFIRMED_NA", "changed CONFIRMED_NA", "changed CONFIRMED_NA"), writes);
        assertEquals(Duration.ofSeconds(60), lifecycle.timeLeft(d), "the no-ACK wait is sooner");

        lifecycle.apply(d, DialogEvent.BYE, EndCause.CALLER_BYE, bye());
        writes.clear();
        d.setValue("k", "x");
        assertEquals(List.of(), writes, "ended");
    }

    @Test
    void aRestoredDialogComesBackInItsStateWithItsDeadlineAndPingsAndIsNotWrittenBack() {
        start(settings());
        Leg caller = new Leg("a", "sip:alice@example.com", "sip:alice@127.0.0.1:5061", CALLER_FLOW, List.of());
        Dialog d = new Dialog(7, "restored", 1, caller, home, DialogOptions.TRACK.withPings(PingMode.NONE,
                PingMode.OPTIONS), WALL);
        d.addCalleeLeg(new Leg("b", "sip:bob@example.com", "sip:bob@127.0.0.1:5070", CALLEE_FLOW, List.of()));
        d.answered(WALL);
        d.lifetimeMillis = Duration.ofHours(1).toMillis();

        lifecycle.restored(d, DialogState.CONFIRMED, Duration.ofMinutes(3).toMillis());

        assertSame(d, table.bySequence(7));
        assertEquals(1, table.active());
        assertEquals(Duration.ofMinutes(3), lifecycle.timeLeft(d));
        assertEquals(List.of(), writes);
        timer.advance(DialogRequestSettings.defaults().optionsPingInterval());
        assertEquals(List.of("OPTIONS"), sender.sent.stream().map(RecordingSender.Sent::method).toList(),
                "the callee is pinged again");
        timer.advance(Duration.ofMinutes(3));
        assertEquals(EndCause.EXPIRED, d.endCause(), "at the stored deadline");
    }

    @Test
    void aRestoredDialogWhoseDeadlinePassedEndsJustAfter() {
        start(settings());
        Leg caller = new Leg("a", "sip:alice@example.com", "sip:alice@127.0.0.1:5061", CALLER_FLOW, List.of());
        Dialog d = new Dialog(8, "late", 1, caller, home, DialogOptions.TRACK, WALL);
        d.addCalleeLeg(new Leg("b", "sip:bob@example.com", "sip:bob@127.0.0.1:5070", CALLEE_FLOW, List.of()));
        d.answered(WALL);

        lifecycle.restored(d, DialogState.CONFIRMED, -5000);
        assertEquals(DialogState.CONFIRMED, d.state());
        timer.advance(Duration.ofMillis(1));

        assertEquals(EndCause.EXPIRED, d.endCause());
    }
}

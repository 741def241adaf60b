package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sip.header.Header;
import org.junit.jupiter.api.Test;

/**
 * What the management API asks of the module: {@link DialogModule#list} (snapshots and filters),
 * {@link DialogModule#patch} (lifetime on the manual clock, values, flags) and
 * {@link DialogModule#end(String, OperatorEnd)} (Reason and extra headers on the BYEs).
 */
class DialogModuleApiTest {
    private final RecordingSender sender = new RecordingSender();
    private final DialogHarness h = new DialogHarness(DialogHarness.settings()
            .withProfiles(List.of("caller"), List.of("inbound")));
    private final DialogOptions options = DialogOptions.TRACK.withTimeout(Duration.ofMinutes(10))
            .withByeOnTimeout(true).withPings(PingMode.NONE, PingMode.OPTIONS).withProfiles(List.of(
                    new ProfileRule("inbound", null, 0, 486),
                    new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 0, 486)));

    {
        h.tracker.useSender(sender);
    }

    private Call call(String callId, String fromUser) {
        return h.call(Msgs.invite(callId).from("sip:" + fromUser + "@example.com", "a-" + callId).build(), options);
    }

    private static <T> T now(CompletableFuture<T> f) {
        assertTrue(f.isDone(), "the shards run inline in these tests");
        return f.join();
    }

    @Test
    void listCopiesEveryFieldOfAConfirmedDialog() {
        Call c = call("l1", "alice").establish();
        c.dialog().setValue("tenant", "acme");
        c.dialog().setFlag("vip");
        h.advance(Duration.ofSeconds(30));

        List<DialogSnapshot> all = now(h.module.list(DialogFilter.ALL));

        assertEquals(1, all.size());
        DialogSnapshot s = all.get(0);
        assertEquals(c.dialog().id(), s.id());
        assertEquals("l1", s.callId());
        assertEquals(DialogState.CONFIRMED, s.state());
        assertEquals(4, s.stateCode());
        assertEquals(c.dialog().createdAtMillis(), s.startTime().toEpochMilli());
        assertEquals(Duration.ofMinutes(10).minusSeconds(30), s.timeLeft());
        assertEquals("sip:alice@example.com", s.caller().uri());
        assertEquals("a-l1", s.caller().tag());
        assertEquals(1, s.caller().cseq());
        assertTrue(s.caller().flow().isPresent());
        assertEquals(PingMode.NONE, s.caller().ping().kind());
        DialogSnapshot.LegSnapshot callee = s.callee().orElseThrow();
        assertEquals(c.dialog().callee().tag(), callee.tag());
        assertEquals(Optional.ofNullable(c.dialog().callee().remoteTarget()), callee.contact());
        assertEquals(new DialogSnapshot.Ping(PingMode.OPTIONS, 0), callee.ping());
        assertEquals(List.of(new DialogSnapshot.ProfileEntry("inbound", Optional.empty()),
                new DialogSnapshot.ProfileEntry("caller", Optional.of("alice"))), s.profiles());
        assertEquals(Map.of("tenant", "acme"), s.values());
        assertEquals(List.of("vip"), s.flags());
        assertEquals(Optional.empty(), s.endCause());
    }

    @Test
    void filtersSelectByIdCallIdStateAndProfile() {
        call("f1", "alice").establish();
        Call b = call("f2", "bob").establish();
        Call early = call("f3", "alice").forward(UAS);
        early.respond(UAS, 180, "b1");

        assertEquals(List.of("f1", "f2", "f3"), callIds(DialogFilter.ALL), "creation order");
        assertEquals(List.of("f2"), callIds(DialogFilter.ALL.withIdOrCallId(b.dialog().id())));
        assertEquals(List.of("f1"), callIds(DialogFilter.ALL.withIdOrCallId("f1")));
        assertEquals(List.of("f3"), callIds(DialogFilter.ALL.withState(DialogState.EARLY)));
        assertEquals(List.of("f1", "f3"), callIds(DialogFilter.ALL.inProfile("caller", "alice")));
        assertEquals(List.of("f1", "f2", "f3"), callIds(DialogFilter.ALL.inProfile("caller", null)));
        assertEquals(List.of("f1"), callIds(DialogFilter.ALL.inProfile("caller", "alice")
                .withState(DialogState.CONFIRMED)));
        assertEquals(List.of(), callIds(DialogFilter.ALL.withIdOrCallId("nope")));
    }

    private List<String> callIds(DialogFilter filter) {
        return now(h.module.list(filter)).stream().map(DialogSnapshot::callId).toList();
    }

    @Test
    void patchChangesLifetimeValuesAndFlags() {
        Call c = call("p1", "alice").establish();
        c.dialog().setFlag("old");
        c.dialog().setValue("keep", "1");
        c.dialog().setValue("drop", "2");
        h.advance(Duration.ofMinutes(5));

        DialogSnapshot s = now(h.module.patch(c.dialog().id(), new DialogPatch(Optional.of(Duration.ofSeconds(60)),
                Map.of("tenant", "acme", "drop", ""), Optional.of(Set.of("vip", "audited"))))).orElseThrow();

        assertEquals(Duration.ofSeconds(60), s.timeLeft());
        assertEquals(Map.of("keep", "1", "tenant", "acme"), s.values());
        assertEquals(List.of("audited", "vip"), s.flags());
        assertFalse(c.dialog().isFlagSet("old"));

        h.advance(Duration.ofSeconds(59));
        assertEquals(DialogState.CONFIRMED, c.dialog().state(), "the new lifetime has not run out yet");
        h.advance(Duration.ofSeconds(2));
        assertEquals(EndCause.EXPIRED, c.dialog().endCause(), "the new lifetime, not the 10 minutes, ended it");
    }

    @Test
    void patchByCallIdLeavesWhatItDoesNotNameAndFindsNothingEnded() {
        Call c = call("p2", "alice").establish();
        c.dialog().setFlag("kept");
        DialogSnapshot s = now(h.module.patch("p2", new DialogPatch(Optional.empty(), Map.of("k", "v"),
                Optional.empty()))).orElseThrow();
        assertEquals(List.of("kept"), s.flags());
        assertEquals(Duration.ofMinutes(10), s.timeLeft());
        assertEquals(Optional.empty(), now(h.module.patch("nope", new DialogPatch(Optional.empty(), Map.of(),
                Optional.empty()))));
        now(h.module.end("p2"));
        assertEquals(Optional.empty(), now(h.module.patch("p2", new DialogPatch(Optional.empty(), Map.of("k", "w"),
                Optional.empty()))), "an ended dialog cannot be patched");
    }

    @Test
    void aNonPositiveTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new DialogPatch(Optional.of(Duration.ZERO), Map.of(), Optional.empty()));
    }

    @Test
    void endWithReasonAndHeadersPutsThemOnBothByes() {
        Call c = call("r1", "alice").establish();
        int ended = now(h.module.end(c.dialog().id(),
                new OperatorEnd(Optional.of("fraud \"suspected\""), List.of("X-Ticket: 4711", "X-Op: jane"))));
        assertEquals(1, ended);
        List<RecordingSender.Sent> byes = sender.of("BYE");
        assertEquals(2, byes.size());
        for (RecordingSender.Sent bye : byes) {
            assertEquals("Q.850;cause=16;text=\"fraud \\\"suspected\\\"\"", value(bye, "Reason"));
            assertEquals("4711", value(bye, "X-Ticket"));
            assertEquals("jane", value(bye, "X-Op"));
        }
        assertEquals(EndCause.OPERATOR, c.dialog().endCause());
    }

    @Test
    void aProtocolReasonIsSentAsGivenAndTheDefaultStaysTheOperators() {
        Call c = call("r2", "alice").establish();
        now(h.module.end("r2", new OperatorEnd(Optional.of("SIP;cause=480;text=\"Gone\""), List.of())));
        assertEquals("SIP;cause=480;text=\"Gone\"", value(sender.of("BYE").get(0), "Reason"));
        Call d = call("r3", "alice").establish();
        now(h.module.end(d.dialog().id()));
        assertEquals(EndCause.OPERATOR.reasonHeader(), value(sender.of("BYE").get(2), "Reason"));
        assertEquals(2, now(h.module.list(DialogFilter.ALL)).stream()
                .filter(s -> s.endCause().equals(Optional.of(EndCause.OPERATOR))).count());
    }

    @Test
    void headersTheProxyWritesOrBrokenLinesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OperatorEnd(Optional.empty(), List.of("Call-ID: x")));
        assertThrows(IllegalArgumentException.class, () -> new OperatorEnd(Optional.empty(), List.of("cseq: 9 BYE")));
        assertThrows(IllegalArgumentException.class, () -> new OperatorEnd(Optional.empty(), List.of("no colon")));
        assertThrows(IllegalArgumentException.class,
                () -> new OperatorEnd(Optional.empty(), List.of("X-A: b\r\nVia: SIP/2.0/UDP evil")));
        assertThrows(IllegalArgumentException.class, () -> new OperatorEnd(Optional.of("a\r\nb"), List.of()));
    }

    @Test
    void profileSizesPerValue() {
        call("s1", "alice").establish();
        call("s2", "alice").establish();
        call("s3", "bob").establish();
        assertEquals(Map.of("alice", 2, "bob", 1), h.module.profiles().get("caller").sizes());
        assertEquals(Map.of(), h.module.profiles().get("inbound").sizes(), "no values in a no-value profile");
        assertEquals(3, h.module.profiles().get("inbound").size());
    }

    private static String value(RecordingSender.Sent sent, String name) {
        Header header = sent.request.getHeader(name);
        assertTrue(header != null, name + " missing in\n" + sent.request);
        String text = header.toString().trim();
        return text.substring(text.indexOf(':') + 1).trim();
    }
}

package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link DialogModule#end} by id or Call-ID and {@link DialogModule#endProfile}: what they end and what they count. */
class DialogModuleEndTest {
    private final RecordingSender sender = new RecordingSender();
    private final DialogHarness h = new DialogHarness(DialogHarness.settings()
            .withProfiles(List.of("caller"), List.of("inbound")));
    private final DialogOptions inProfiles = DialogOptions.TRACK.withProfiles(List.of(
            new ProfileRule("inbound", null, 0, 486),
            new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 0, 486)));

    {
        h.tracker.useSender(sender);
    }

    private Call call(DialogHarness harness, String callId, String fromUser, String fromTag) {
        return harness.call(Msgs.invite(callId).from("sip:" + fromUser + "@example.com", fromTag).build(), inProfiles);
    }

    private Call call(String callId, String fromUser) {
        return call(h, callId, fromUser, "a-" + callId);
    }

    private static int now(CompletableFuture<Integer> f) {
        assertTrue(f.isDone(), "the shards run inline in these tests");
        return f.join();
    }

    @Test
    void endByIdByesAConfirmedDialog() {
        Call c = call("e1", "alice").establish();
        Call other = call("e2", "alice").establish();
        assertEquals(1, now(h.module.end(c.dialog().id())));
        assertEquals(DialogState.ENDED, c.dialog().state());
        assertEquals(EndCause.OPERATOR, c.dialog().endCause());
        assertEquals(2, sender.of("BYE").size());
        assertTrue(sender.sent.stream().allMatch(s -> s.request.getCallId().getCallId().equals("e1")));
        assertEquals(DialogState.CONFIRMED, other.dialog().state());
        assertEquals(0, now(h.module.end(c.dialog().id())), "over already");
        assertEquals(2, sender.sent.size());
    }

    @Test
    void endByCallIdEndsEveryDialogOfIt() {
        Call first = call(h, "e3", "alice", "a-1").establish();
        Call second = call(h, "e3", "alice", "a-2").establish();
        Call unrelated = call("e4", "alice").establish();
        assertEquals(2, h.tracker.findByCallId("e3").size());
        assertEquals(2, now(h.module.end("e3")));
        assertEquals(EndCause.OPERATOR, first.dialog().endCause());
        assertEquals(EndCause.OPERATOR, second.dialog().endCause());
        assertEquals(DialogState.CONFIRMED, unrelated.dialog().state());
        assertEquals(4, sender.of("BYE").size());
        assertEquals(1, sender.toward("a-1", "BYE").cseq());
        assertEquals(1, sender.toward("a-2", "BYE").cseq());
    }

    @Test
    void endOfAnEarlyDialogCancelsAndCountsIt() {
        Call c = call("e5", "alice").forward(UAS);
        c.respond(UAS, 180, "b1");
        assertEquals(1, now(h.module.end(c.dialog().id())));
        assertEquals(List.of(c.serverTx), sender.cancels);
        assertEquals(0, now(h.module.end("e5")), "its CANCEL is under way");
        assertEquals(1, sender.cancels.size());
        c.respond(UAS, 487, "b1");
        assertEquals(EndCause.OPERATOR, c.dialog().endCause());
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"));
    }

    @Test
    void endOfNothingCountsZero() {
        call("e6", "alice").establish();
        assertEquals(0, now(h.module.end("no-such-call")));
        assertEquals(0, now(h.module.end("n1.999999")), "an id of this node that names no dialog");
        assertTrue(sender.sent.isEmpty());
    }

    @Test
    void endProfileWithAValueEndsOnlyThatValue() {
        Call a1 = call("e7", "alice").establish();
        Call a2 = call("e8", "alice").establish();
        Call b1 = call("e9", "bob").establish();
        assertEquals(2, now(h.module.endProfile("caller", "alice")));
        assertEquals(EndCause.OPERATOR, a1.dialog().endCause());
        assertEquals(EndCause.OPERATOR, a2.dialog().endCause());
        assertEquals(DialogState.CONFIRMED, b1.dialog().state());
        assertEquals(4, sender.of("BYE").size());
        assertEquals(0, now(h.module.endProfile("caller", "alice")), "terminating members are over already");
        assertEquals(0, now(h.module.endProfile("caller", "carol")));
    }

    @Test
    void endProfileWithoutValueEndsEveryMember() {
        call("e10", "alice").establish();
        call("e11", "bob").establish();
        Call early = call("e12", "carol").forward(UAS);
        early.respond(UAS, 183, "b1");
        assertEquals(3, now(h.module.endProfile("inbound", null)));
        assertEquals(4, sender.of("BYE").size());
        assertEquals(List.of(early.serverTx), sender.cancels);
        assertEquals(0, now(h.module.endProfile("caller", null)), "none left to end");
    }

    @Test
    void endedMembersLeaveTheProfileAtOnceWhileTheirByesRun() {
        call("e13", "alice").establish();
        now(h.module.endProfile("inbound", null));
        assertEquals(0, h.module.profiles().get("inbound").size(), "the slot is free for the next call");
        assertEquals(1, h.tracker.size(), "still terminating");
        sender.sent.forEach(s -> s.answer(200));
        assertEquals(0, h.module.profiles().get("inbound").size());
    }

    @Test
    void endProfileRefusesAnUndeclaredProfile() {
        assertThrows(IllegalArgumentException.class, () -> h.module.endProfile("nope", null));
    }

    @Test
    void endSumsOverShards() {
        DialogHarness shard2 = DialogHarness.secondShard(h);
        RecordingSender sender2 = new RecordingSender();
        shard2.tracker.useSender(sender2);
        assertSame(h.module, shard2.module);
        call(h, "e14", "alice", "a-14").establish();
        Call there = call(shard2, "e15", "alice", "a-15").establish();
        assertEquals(2, now(h.module.endProfile("caller", "alice")));
        assertEquals(2, sender.of("BYE").size());
        assertEquals(2, sender2.of("BYE").size());
        assertEquals(EndCause.OPERATOR, there.dialog().endCause());

        Call byId = call(shard2, "e16", "bob", "a-16").establish();
        assertEquals(1, now(h.module.end(byId.dialog().id())), "found in the shard that holds it");
        assertEquals(4, sender2.of("BYE").size());
    }

    @Test
    void terminateFromAnotherShardsTrackerIsRefused() {
        DialogHarness shard2 = DialogHarness.secondShard(h);
        Call c = call("e17", "alice").establish();
        assertFalse(shard2.tracker.terminate(c.dialog(), EndCause.OPERATOR));
        assertEquals(DialogState.CONFIRMED, c.dialog().state());
    }

    @Test
    void byesThatCannotBeSentStillEndTheDialog() {
        Call c = call("e18", "alice").establish();
        sender.throwOn = r -> true;     // BYEs that cannot be sent still end the dialog
        assertEquals(1, now(h.module.end(c.dialog().id())));
        assertFalse(c.dialog().terminating());
        assertEquals(0, h.tracker.size());
    }
}

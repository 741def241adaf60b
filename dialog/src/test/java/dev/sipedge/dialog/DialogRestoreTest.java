package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A dialog's record rebuilt in another process's module (same node id), on manual clocks. */
class DialogRestoreTest {
    private static final long WALL = 1_700_000_000_000L;
    private static final DialogSettings SETTINGS = DialogHarness.settings()
            .withProfiles(List.of("caller"), List.of("inbound"));
    private static final DialogOptions OPTIONS = DialogOptions.TRACK.withTimeout(Duration.ofMinutes(10))
            .withByeOnTimeout(true).withPings(PingMode.OPTIONS, PingMode.REINVITE)
            .withProfiles(List.of(new ProfileRule("inbound", null, 0, 486),
                    new ProfileRule("caller", ValueTemplate.parse("${from.user}"), 0, 486)));

    private static Dialog answered(DialogHarness h, String callId) {
        Call c = h.call(Msgs.invite(callId).from("sip:alice@example.com", "a-" + callId)
                .sdp("v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\n").build(), OPTIONS);
        c.forward(UAS);
        c.respond(UAS, 200, "b-" + callId);
        c.ack("b-" + callId);
        return c.dialog();
    }

    private static DialogRecord record(DialogHarness h, Dialog d) {
        return record(h, d, WALL);
    }

    /** The record at wall-clock {@code wallBase} plus the harness's manual time. */
    private static DialogRecord record(DialogHarness h, Dialog d, long wallBase) {
        return DialogRecords.of(d, wallBase + h.timer.now().toMillis(), h.timer.now().toNanos()).orElseThrow();
    }

    private static Dialog restore(DialogHarness h, DialogRecord r) {
        return restore(h, r, WALL);
    }

    private static Dialog restore(DialogHarness h, DialogRecord r, long wallBase) {
        int n = h.module.restore(List.of(r), callId -> h.tracker, wallBase + h.timer.now().toMillis()).join();
        assertEquals(1, n);
        return h.tracker.find(r.id());
    }

    @Test
    void aRestoredDialogIsTheStoredOneFieldByField() {
        DialogHarness before = new DialogHarness(SETTINGS);
        before.tracker.useSender(new RecordingSender());     // pings stay unanswered (pending), never failed
        Dialog d = answered(before, "rt-1");
        d.setValue("account", "42");
        d.setFlag("vip");
        d.callee().restoreShift(3, 7, 2);
        before.advance(Duration.ofMinutes(4));
        DialogRecord r = record(before, d);

        DialogHarness after = new DialogHarness(SETTINGS);
        RecordingSender pings = new RecordingSender();
        after.tracker.useSender(pings);
        after.advance(Duration.ofMinutes(1));     // another process: its monotonic clock started elsewhere
        long afterWall = WALL + Duration.ofMinutes(3).toMillis();   // wall now = the record's time: no downtime
        Dialog back = restore(after, r, afterWall);
        assertNotNull(back, "the did still matches");
        assertEquals(d.id(), back.id());
        assertEquals(d.callId(), back.callId());
        assertEquals(d.inviteCseq(), back.inviteCseq());
        assertEquals(DialogState.CONFIRMED, back.state());
        assertEquals(d.createdAtMillis(), back.createdAtMillis());
        assertEquals(d.answeredAtMillis(), back.answeredAtMillis());
        assertEquals(d.lifetime(), back.lifetime());
        assertEquals(Map.of("account", "42"), back.values());
        assertEquals(Set.of("vip"), back.flags());
        assertTrue(back.options().byeOnTimeout());
        assertEquals(PingMode.OPTIONS, back.options().pingCaller());
        assertEquals(PingMode.REINVITE, back.options().pingCallee());
        for (Leg[] pair : new Leg[][] {{d.caller(), back.caller()}, {d.callee(), back.callee()}}) {
            Leg a = pair[0];
            Leg b = pair[1];
            assertEquals(a.tag(), b.tag());
            assertEquals(a.uri(), b.uri());
            assertEquals(a.remoteTarget(), b.remoteTarget());
            assertEquals(a.routeSet(), b.routeSet());
            assertEquals(a.flow(), b.flow());
            assertEquals(a.cseqFrom(), b.cseqFrom());
            assertEquals(a.cseqTo(), b.cseqTo());
            assertEquals(a.cseqShift(), b.cseqShift());
            assertEquals(a.lastInviteCseq(), b.lastInviteCseq());
            assertEquals(a.lastInviteShift(), b.lastInviteShift());
            assertEquals(a.lastSdp(), b.lastSdp());
        }
        assertNotNull(back.callee().lastSdp(), "the re-INVITE ping has its SDP");
        assertEquals(r, record(after, back, afterWall), "the restored dialog's record is the stored one");
        assertEquals(1.0, after.gauge("sipedge_dialogs_active"));
        assertEquals(1, after.module.profiles().get("inbound").size());
        assertEquals(1, after.module.profiles().get("caller").size("alice"));
        assertSame(back, after.tracker.findByCallId("rt-1").get(0));
        // The lifetime runs to the stored deadline (6 of 10 minutes were left); pings are re-armed.
        assertEquals(Duration.ofMinutes(6), after.tracker.timeLeft(back));
        assertNotNull(back.caller().ping);
        assertNotNull(back.callee().ping);
        after.advance(Duration.ofSeconds(41));
        assertEquals(1, pings.of("OPTIONS").size(), "the caller is pinged again");
        after.advance(Duration.ofSeconds(260));
        assertEquals(1, pings.of("INVITE").size(), "the callee is re-INVITE-pinged with the stored SDP");
        assertEquals(d.callee().lastSdp(), new String(pings.of("INVITE").get(0).request.getRawContent(),
                StandardCharsets.UTF_8));
    }

    /**
     * The proxy died after relaying the caller's re-INVITE 5 as 7 (a ping had shifted the callee)
     * and before the callee's 2xx: the restarted proxy relays the retransmitted 2xx as a stray,
     * and only the restored shift can give it the caller's CSeq back.
     */
    @Test
    void aRestoredShiftGivesAStray2xxTheCallersCseq() {
        DialogHarness before = new DialogHarness(SETTINGS);
        Dialog d = answered(before, "rt-stray");
        d.callee().restoreShift(2, 5, 2);
        DialogHarness after = new DialogHarness(SETTINGS);
        restore(after, record(before, d));

        SIPRequest reinvite = Msgs.invite("rt-stray").from("sip:alice@example.com", "a-rt-stray")
                .toTag("b-rt-stray").cseq(7).build();
        assertEquals(OptionalLong.of(5), after.tracker.strayInviteCseq(Msgs.response(reinvite, 200).build()));
        SIPRequest later = Msgs.invite("rt-stray").from("sip:alice@example.com", "a-rt-stray")
                .toTag("b-rt-stray").cseq(8).build();
        assertEquals(OptionalLong.empty(), after.tracker.strayInviteCseq(Msgs.response(later, 200).build()),
                "a CSeq the proxy never shifted to");
        SIPRequest stranger = Msgs.invite("rt-stray").from("sip:alice@example.com", "a-rt-stray")
                .toTag("b-other").cseq(7).build();
        assertEquals(OptionalLong.empty(), after.tracker.strayInviteCseq(Msgs.response(stranger, 200).build()),
                "another dialog's tags");
    }

    @Test
    void newDidsComeAfterTheRestoredOnes() {
        DialogHarness before = new DialogHarness(SETTINGS);
        answered(before, "seq-1");
        DialogRecord r = record(before, answered(before, "seq-2"));
        DialogHarness after = new DialogHarness(SETTINGS);
        restore(after, r);
        Dialog fresh = answered(after, "seq-3");
        assertTrue(after.module.sequenceOf(fresh.id()) > after.module.sequenceOf(r.id()), fresh.id());
    }

    @Test
    void aDialogThatExpiredDuringTheDowntimeEndsWithByesJustAfterTheStart() {
        DialogHarness before = new DialogHarness(SETTINGS);
        DialogRecord r = record(before, answered(before, "late-1"));
        assertEquals(Instant.ofEpochMilli(WALL + before.timer.now().toMillis() + 600_000), r.expiresAt());

        DialogHarness after = new DialogHarness(SETTINGS);
        RecordingSender sender = new RecordingSender();
        after.tracker.useSender(sender);
        // restored 11 minutes later on the wall clock: the 10-minute lifetime ran out while down
        int n = after.module.restore(List.of(r), c -> after.tracker, r.expiresAt().toEpochMilli() + 60_000).join();
        assertEquals(1, n);
        Dialog back = after.tracker.find(r.id());
        assertEquals(1.0, after.gauge("sipedge_dialogs_active"));
        after.advance(Duration.ofMillis(50));
        assertEquals(DialogState.ENDED, back.state());
        assertEquals(EndCause.EXPIRED, back.endCause());
        assertNotNull(sender.toward("a-late-1", "BYE"));
        assertNotNull(sender.toward("b-late-1", "BYE"));
        assertEquals(0.0, after.gauge("sipedge_dialogs_active"));
        assertEquals(0, after.module.profiles().get("inbound").size(), "its profile places are given back");
    }
}

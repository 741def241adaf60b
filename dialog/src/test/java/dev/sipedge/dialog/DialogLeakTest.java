package dev.sipedge.dialog;

import static dev.sipedge.dialog.DialogHarness.UAC;
import static dev.sipedge.dialog.DialogHarness.UAS;
import static dev.sipedge.dialog.DialogHarness.UAS2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gauges are a function of the table ({@link DialogTable#recount()}) after every step of mixed
 * calls, and once every kind of call is over nothing is left: not in the table, not in the
 * tracker's per-transaction maps, not in the response observer, not in profiles, not in the layer.
 */
class DialogLeakTest {
    private final DialogHarness h = new DialogHarness(DialogHarness.settings()
            .withTimeouts(Duration.ofSeconds(60), true, Duration.ZERO).withProfiles(List.of(), List.of("all")));
    private final DialogOptions options = DialogOptions.TRACK.withProfiles(
            List.of(new ProfileRule("all", null, 20, 503)));

    private Call call(String id) {
        return h.call(Msgs.invite(id).build(), options);
    }

    private void assertGaugesMatchTable() {
        int[] counts = h.tracker.table().recount();
        assertEquals(counts[0], h.gauge("sipedge_dialogs_early"), "early");
        assertEquals(counts[1], h.gauge("sipedge_dialogs_active"), "active");
        assertEquals(counts[0], h.module.earlyCount());
        assertEquals(counts[1], h.module.activeCount());
        assertEquals(h.tracker.dialogs().size(), h.tracker.size());
    }

    @Test
    void gaugesFollowTheTableThroughMixedCalls() {
        Call unconfirmed = call("g1").forward(UAS);
        Call early = call("g2").forward(UAS);
        early.respond(UAS, 183, "b1");
        Call answered = call("g3").establish();
        Call notAcked = call("g4").forward(UAS);
        notAcked.respond(UAS, 200, "b1");
        assertGaugesMatchTable();
        assertEquals(1.0, h.gauge("sipedge_dialogs_early"));
        assertEquals(2.0, h.gauge("sipedge_dialogs_active"));
        assertEquals(4, h.tracker.size());

        early.respond(UAS, 200, "b1");
        assertGaugesMatchTable();
        unconfirmed.respond(UAS, 480, "b1");
        assertGaugesMatchTable();
        answered.calleeBye();
        assertGaugesMatchTable();
        h.advance(Duration.ofSeconds(60));
        assertGaugesMatchTable();
        assertEquals(0, h.tracker.size());
        assertEquals(2.0, h.counter("sipedge_dialogs_expired"));
        assertEquals(1.0, h.counter("sipedge_dialogs_failed"));
        assertEquals(4.0, h.counter("sipedge_dialogs_processed"));
    }

    @Test
    void nothingIsLeftAfterEveryKindOfCall() {
        call("k1").establish().callerBye();                       // answered, caller BYE
        assertGaugesMatchTable();
        call("k2").establish().calleeBye();                       // answered, callee BYE
        Call rejected = call("k3").forward(UAS);                   // rejected
        rejected.respond(UAS, 180, "b1");
        assertGaugesMatchTable();
        rejected.respond(UAS, 486, "b1");
        Call cancelled = call("k4").forward(UAS);                  // cancelled
        cancelled.respond(UAS, 180, "b1");
        cancelled.cancel();
        cancelled.respond(UAS, 487, "b1");
        call("k5").establish();                                   // expires
        Call forked = call("k6").forward(UAS, UAS2);               // fork: one answers, one fails
        forked.respond(UAS, 180, "b1");
        forked.respond(UAS2, 180, "b2");
        assertGaugesMatchTable();
        forked.respond(UAS2, 200, "b2");
        forked.respondNotRelayed(UAS, 487, "b1");
        forked.ack("b2");
        forked.callerBye();
        Call twice = call("k7").forward(UAS, UAS2);                // fork: two 2xx, both BYEd
        twice.respond(UAS, 200, "b1");
        twice.respond(UAS2, 200, "b2");
        twice.ack("b1");
        twice.ack("b2");
        h.sequential(twice.fromCaller("BYE", "b2").build(), UAC).respond(200);
        twice.callerBye();
        Call died = call("k8").forward(UAS);                       // INVITE transaction died
        died.respond(UAS, 180, "b1");
        h.wire.failLast();
        Call local = call("k9");                                  // answered here, no branch
        local.respondLocally(404, "here");
        Call earlyBye = call("k10").forward(UAS);                  // early dialog BYEd, then 487
        earlyBye.respond(UAS, 180, "b1");
        earlyBye.callerBye();
        earlyBye.respond(UAS, 487, "b1");
        Call spiral = call("k11").forward(DialogHarness.PROXY);    // spiral, answered, BYEd
        Call inner = h.call((SIPRequest) Msgs.parse(spiral.forwardedTo(DialogHarness.PROXY).encode()), options);
        inner.forward(UAS);
        inner.respond(UAS, 200, "b1");
        spiral.receive(DialogHarness.PROXY, (SIPResponse) Msgs.parse(
                inner.lastRelayed.encode()), true);
        spiral.ack("b1");
        spiral.callerBye();
        assertGaugesMatchTable();
        assertEquals(1, h.tracker.size(), "only the call waiting to expire");

        h.advance(Duration.ofMinutes(5));   // lifetimes, Timer C, linger timers

        assertEquals(0, h.tracker.size());
        assertEquals(0, h.module.size());
        assertTrue(h.tracker.dialogs().isEmpty());
        assertTrue(h.tracker.transactions.initialInvites.isEmpty(), "initialInvites: " + h.tracker.transactions.initialInvites);
        assertTrue(h.tracker.transactions.within.isEmpty(), "within: " + h.tracker.transactions.within);
        assertEquals(0, h.observedBranches(), "DialogTransactions.inviteBranches");
        assertEquals(0, h.layer.activeTransactions());
        assertEquals(0, h.module.profiles().get("all").size());
        assertEquals(0.0, h.gauge("sipedge_dialogs_early"));
        assertEquals(0.0, h.gauge("sipedge_dialogs_active"));
        assertEquals(0, h.timer.pendingCount(), "no timer left: " + h.timer.pendingDelays());
        assertEquals(1.0, h.counter("sipedge_dialogs_expired"));
        assertEquals(5.0, h.counter("sipedge_dialogs_failed"), "k3, k4, k8, k9 and k10 (BYEd while early: never answered)");
        assertEquals(11.0, h.counter("sipedge_dialogs_processed"));
    }

    @Test
    void anEndedCallIsNotHeldByItsLingeringTransactions() {
        Call byCaller = call("l1").establish();
        byCaller.callerBye();
        Call byCallee = call("l2").establish();
        byCallee.calleeBye();
        Call reinvited = call("l3").establish();
        h.sequential(reinvited.fromCaller("INVITE").build(), UAC).respond(200);

        // The INVITEs linger in Accepted and the BYEs in Completed for 64*T1, which under load is
        // tens of thousands of transactions: they must not keep the ended calls' dialogs alive.
        assertTrue(h.layer.activeTransactions() >= 4, "the transactions still linger");
        assertEquals(1, h.tracker.size(), "only the re-INVITEd call lives");
        assertEquals(List.of(reinvited.dialog()), List.copyOf(h.tracker.transactions.initialInvites.values()));
        assertEquals(List.of(reinvited.dialog()), List.copyOf(h.tracker.transactions.inviteBranches.values()));
        assertEquals(0, byCaller.dialog().inviteBranches.length);
        assertEquals(List.of(reinvited.dialog()), h.tracker.transactions.within.values().stream()
                .map(DialogTransactions.Within::dialog).toList(), "the re-INVITE holds pings back till it ends");
    }

    @Test
    void tableUnlinksDialogsOfOneCallIdInAnyOrder() {
        DialogHarness off = new DialogHarness(DialogHarness.settings().withDetectSpirals(false));
        Dialog a = off.call(Msgs.invite("same").cseq(1).build(), DialogOptions.TRACK).dialog();
        Dialog b = off.call(Msgs.invite("same").cseq(2).build(), DialogOptions.TRACK).dialog();
        Dialog c = off.call(Msgs.invite("same").cseq(3).build(), DialogOptions.TRACK).dialog();
        DialogTable table = off.tracker.table();
        table.remove(b);    // middle of the chain
        assertEquals(List.of(c, a), off.tracker.findByCallId("same"));
        table.remove(c);    // head
        assertEquals(List.of(a), off.tracker.findByCallId("same"));
        table.remove(a);
        assertEquals(List.of(), off.tracker.findByCallId("same"));
        table.remove(a);    // twice: no effect
        assertEquals(0, table.size());
        assertEquals(0, table.early());
        assertEquals(0, table.active());
    }
}

package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.UNMATCHED;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the users of OpenSIPS and Kamailio most often find missing after a restart: the pings.
 * Calls with in-dialog pings held through the proxy with {@code realtime} persistence, the proxy
 * killed with {@code kill -9} and started again on the same ports and SQLite file:
 * <ul>
 * <li>OPTIONS pings (scripts/sipp/dialog-ping-options): the restarted proxy pings every callee
 *     again, in the callee's dialog and below the INVITE's CSeq, and every ping is answered;</li>
 * <li>a re-INVITE ping sent before the crash (scripts/sipp/dialog-ping-reinvite): the CSeq shift
 *     it started survives, so the caller's re-INVITE and BYE, relayed by the restarted proxy,
 *     reach the callee above the ping's CSeq and come back to the caller with its own numbers;</li>
 * <li>the caller's re-INVITE relayed before the crash and answered after it: the callee's 200
 *     comes back to the caller with the caller's CSeq, as a stray the restarted proxy relays.</li>
 * </ul>
 */
@Tag("e2e")
class DialogPersistencePingE2ETest {
    private static final String PERSISTENCE = """
            sipedge.dialog.node-id = e2e1
            sipedge.dialog.persistence { mode = realtime, url = "jdbc:sqlite:dialogs.db" }
            """;
    private static final String REINVITE_PINGS = PERSISTENCE
            + DialogE2E.shortTimerRoute("reinvite-ping-interval = 4s", "track = true, ping-callee = reinvite");
    /** For a restarted proxy whose own pings must keep out of the way of the caller's requests. */
    private static final String RARE_PINGS = "sipedge.dialog.reinvite-ping-interval = 60s";
    private static final String BACKLOG = "sipedge_dialog_persistence_backlog";
    private static final String OPTIONS_PINGS = "sipedge_dialog_requests_sent_total{kind=\"options_ping\"}";
    private static final String PINGS_FAILED = "sipedge_dialog_pings_failed_total";
    private static final String ENDED_BY_CALLER = "sipedge_dialogs_ended_total{cause=\"caller_bye\"}";
    private static final Duration CALL_BOUND = Duration.ofSeconds(40);
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(10);
    private static final int HOLD_MS = 20_000;
    private static final int REINVITE_HOLD_MS = 10_000;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 90)
    void optionsPingsResumeAfterKillDashNine() {
        int calls = 5;
        Path work = E2eEnvironment.newWorkDir("persistence-options-ping");
        int uasPort = FreePorts.udpAndTcp();
        SipedgeProcess first = SipedgeProcess.start(work, uasPort, "udp", PERSISTENCE
                + DialogE2E.shortTimerRoute("options-ping-interval = 2s", "track = true, ping-callee = options"));
        SipedgeProcess second = null;
        // The callee wants two pings (2 s apart) before the BYE, all from the restarted proxy: the
        // hold leaves room for a restart of up to ~14 s (its warm-up took 6 s on a busy CI box).
        try (SippPair held = SippPair.start(work.resolve("held"), "dialog-ping-options", "uac.xml",
                first.sipAddress(), uasPort, new SippProcess.Options().calls(calls).rate(10).holdMs(HOLD_MS)
                        .traceMessages(true).timeout(CALL_BOUND), CALL_BOUND)) {
            first.awaitMetrics(Map.of(ACTIVE, (double) calls), Duration.ofSeconds(10));
            first.awaitMetrics(Map.of(BACKLOG, 0.0), Duration.ofSeconds(10));
            first.kill();

            second = first.restart("sipedge-2.log");
            second.awaitMetrics(Map.of(ACTIVE, (double) calls), Duration.ofSeconds(5));
            // the restarted proxy's own pings: every callee, 2 s after the restore
            second.awaitMetrics(Map.of(OPTIONS_PINGS, (double) calls, PINGS_FAILED, 0.0), Duration.ofSeconds(5));

            SipedgeProcess restarted = second;
            CallRun run = held.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, restarted);
            run.assertAllSucceeded(calls);

            List<SipMessageLog.Entry> invites = SipTraces.received(run.uas(), "INVITE");
            List<SipMessageLog.Entry> pings = SipTraces.received(run.uas(), "OPTIONS");
            long highestInviteCseq = invites.stream().mapToLong(SipTraces::cseqNumber).max().orElseThrow();
            assertTrue(pings.size() >= calls, "pings at the callees: " + pings.size() + "\n" + run.describe());
            for (SipMessageLog.Entry ping : pings) {
                assertTrue(SipTraces.cseqNumber(ping) < highestInviteCseq,
                        "an OPTIONS ping stays below the INVITE's CSeq: " + SipTraces.cseq(ping));
            }
            second.awaitMetrics(Map.of(ACTIVE, 0.0, PINGS_FAILED, 0.0, FAILED, 0.0), Duration.ofSeconds(10));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    @Timeout(value = 90)
    void theCseqShiftOfAReinvitePingSurvivesKillDashNine() {
        Path work = E2eEnvironment.newWorkDir("persistence-reinvite-ping");
        int uasPort = FreePorts.udpAndTcp();
        SipedgeProcess first = SipedgeProcess.start(work, uasPort, "udp", REINVITE_PINGS);
        SipedgeProcess second = null;
        // The caller holds 10 s after its ACK: the ping goes out at 4 s, the proxy dies, and the
        // caller's re-INVITE (CSeq 2, retransmitted while the proxy is down) and BYE (CSeq 3) meet
        // the restarted proxy. A 6 s hold was too short on a slow CI box: the re-INVITE reached
        // the first proxy just before the kill, and the callee got it twice (before and after).
        try (SippPair call = SippPair.start(work, "dialog-ping-reinvite", "uac.xml", first.sipAddress(), uasPort,
                SippPair.oneTracedCall(REINVITE_HOLD_MS, CALL_BOUND), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            first.awaitMetrics(Map.of(ACTIVE, 1.0), Duration.ofSeconds(10));
            call.awaitUasReceived("ACK", 2, Duration.ofSeconds(8), first);     // the ping was answered and ACKed
            first.awaitMetrics(Map.of(BACKLOG, 0.0), Duration.ofSeconds(5));
            first.kill();
            // the test's premise, named if the box was too slow to keep it
            assertEquals(2, call.uasReceived("INVITE"),
                    "INVITEs at the callee before the kill (initial and ping; the caller's re-INVITE comes "
                            + REINVITE_HOLD_MS + " ms after its ACK and must find the proxy down)");

            // no wait for the restored dialog to show as active: the caller's retransmitted
            // re-INVITE and its BYE may reach the restarted proxy as soon as it listens and end the
            // call before a scrape; the restored dialog shows in the caller_bye count at the end.
            // The restarted proxy pings less often: its first ping would come 4 s after the restore,
            // and the caller's re-INVITE retransmissions (0.5 s doubling) may leave a gap longer
            // than that, where the callee would take the ping for the caller's re-INVITE.
            second = first.restart("sipedge-2.log", RARE_PINGS);

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, second);
            run.assertAllSucceeded(1);

            List<SipMessageLog.Entry> invites = SipTraces.received(run.uas(), "INVITE");
            List<SipMessageLog.Entry> byes = SipTraces.received(run.uas(), "BYE");
            String context = "\n" + run.describe();
            assertEquals(3, invites.size(), "INVITEs at the callee: initial, ping, the caller's re-INVITE" + context);
            long pingCseq = SipTraces.cseqNumber(invites.get(1));
            assertAll("what the callee saw" + context,
                    () -> assertEquals(SipTraces.cseqNumber(invites.get(0)) + 1, pingCseq, "the ping's CSeq"),
                    () -> assertTrue(SipTraces.cseqNumber(invites.get(2)) > pingCseq,
                            "the caller's re-INVITE " + SipTraces.cseq(invites.get(2)) + " above the ping's"),
                    () -> assertEquals(1, byes.size(), "BYEs"),
                    () -> assertTrue(SipTraces.cseqNumber(byes.get(0)) > pingCseq,
                            "the caller's BYE " + SipTraces.cseq(byes.get(0)) + " above the ping's"));
            assertEquals(List.of("1 INVITE", "2 INVITE", "3 BYE"), okCseqs(SipMessageLog.parse(run.uac().messages())),
                    "CSeqs of the 200s the caller got" + context);
            // the restarted proxy ended the call as a dialog it knew, not as a stranger's BYE
            second.awaitMetrics(Map.of(ENDED_BY_CALLER, 1.0, UNMATCHED, 0.0, ACTIVE, 0.0, FAILED, 0.0),
                    Duration.ofSeconds(10));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * The proxy dies after relaying the caller's re-INVITE (shifted by a ping) and before the
     * callee's 200 (scripts/sipp/persistence-reinvite-stray). The restarted proxy has no transaction
     * for that 200 and relays it by its Via, as a stray: it must carry the caller's CSeq, which only
     * the restored shift knows, and the caller's ACK must reach the callee shifted as its INVITE was.
     */
    @Test
    @Timeout(value = 90)
    void aReinviteAnsweredAcrossKillDashNineReachesTheCallerWithItsCseq() {
        Path work = E2eEnvironment.newWorkDir("persistence-reinvite-stray");
        int uasPort = FreePorts.udpAndTcp();
        // Timer C above the callee's 8 s before its 200: the first proxy must not CANCEL the re-INVITE.
        SipedgeProcess first = SipedgeProcess.start(work, uasPort, "udp",
                REINVITE_PINGS + "sipedge.transaction.timer-c = 30s\n");
        SipedgeProcess second = null;
        // The caller's re-INVITE comes 6 s after its ACK: after the ping (4 s), and the ping round
        // at 8 s is skipped while the re-INVITE is open. It is never retransmitted.
        try (SippPair call = SippPair.start(work, "persistence-reinvite-stray", "uac.xml", first.sipAddress(),
                uasPort, SippPair.oneTracedCall(6000, CALL_BOUND), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            call.awaitUasReceived("INVITE", 3, Duration.ofSeconds(15), first);  // initial, ping, the caller's
            first.awaitMetrics(Map.of(BACKLOG, 0.0), Duration.ofSeconds(2));
            first.kill();
            assertEquals(List.of("1 INVITE"), okCseqs(call.uacMessages()),
                    "200s at the caller before the kill (the callee holds its 200 to the re-INVITE 8 s)");

            second = first.restart("sipedge-2.log", RARE_PINGS);

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, second);
            run.assertAllSucceeded(1);
            String context = "\n" + run.describe();
            assertEquals(List.of("1 INVITE", "2 INVITE", "3 BYE"), okCseqs(SipMessageLog.parse(run.uac().messages())),
                    "CSeqs of the 200s the caller got" + context);
            List<SipMessageLog.Entry> acks = SipTraces.received(run.uas(), "ACK");
            assertEquals(SipTraces.cseqNumber(SipTraces.received(run.uas(), "INVITE").get(2)),
                    SipTraces.cseqNumber(acks.get(acks.size() - 1)), "the re-INVITE's ACK at the callee" + context);
            second.awaitMetrics(Map.of(ENDED_BY_CALLER, 1.0, UNMATCHED, 0.0, ACTIVE, 0.0, FAILED, 0.0),
                    Duration.ofSeconds(10));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /** The CSeqs of the 200s among {@code messages} that their side received, each once. */
    private static List<String> okCseqs(List<SipMessageLog.Entry> messages) {
        return messages.stream().filter(e -> !e.sent() && e.startLine().startsWith("SIP/2.0 200"))
                .map(SipTraces::cseq).distinct().toList();
    }
}

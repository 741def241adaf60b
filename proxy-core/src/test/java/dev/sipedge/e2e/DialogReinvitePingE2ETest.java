package dev.sipedge.e2e;

import static dev.sipedge.e2e.DialogE2E.ACTIVE;
import static dev.sipedge.e2e.DialogE2E.EARLY;
import static dev.sipedge.e2e.DialogE2E.EXPIRED;
import static dev.sipedge.e2e.DialogE2E.FAILED;
import static dev.sipedge.e2e.DialogE2E.PROCESSED;
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
 * In-dialog re-INVITE pings end to end (route {@code dialog { ping-callee = reinvite }},
 * {@code sipedge.dialog.reinvite-ping-interval = 4s}), scripts/sipp/dialog-ping-reinvite over UDP
 * through the real proxy. The caller holds 6 s after its ACK, so exactly one ping reaches the
 * callee (4 s after the ACK) before the caller's own re-INVITE (CSeq 2) and BYE (CSeq 3); the
 * next ping would be due 2 s after them.
 *
 * <p>What is asserted, on the callee's side: the ping re-offers the caller's SDP unchanged
 * (checked by the SIPp UAS), carries the caller's Contact and the next CSeq after the INVITE's,
 * and the proxy ACKs the 200 with that CSeq; the caller's later requests reach the callee with
 * CSeq numbers strictly above the ping's (the proxy shifts them). On the caller's side: the 200s
 * carry its own numbers, 2 INVITE and 3 BYE (the proxy shifts them back). Everything is answered
 * 200, and the dialog ends cleanly.
 */
@Tag("e2e")
class DialogReinvitePingE2ETest {

    private static final Duration CALL_BOUND = Duration.ofSeconds(20);
    /** Time the UAS may still need once the UAC has ended. */
    private static final Duration UAS_EXIT_BOUND = Duration.ofSeconds(10);
    private static final int HOLD_MS = 6000;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 40)
    void aReinvitePingShiftsTheCallersLaterCseqsTowardTheCalleeAndBackInTheResponses() {
        Path work = E2eEnvironment.newWorkDir("dialog-ping-reinvite");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp",
                        DialogE2E.shortTimerRoute("options-ping-interval = 4s, reinvite-ping-interval = 4s",
                                "track = true, ping-callee = reinvite"));
                SippPair call = SippPair.start(work, "dialog-ping-reinvite", "uac.xml", proxy.sipAddress(), uasPort,
                        oneTracedCall(HOLD_MS), CALL_BOUND.plus(UAS_EXIT_BOUND))) {
            proxy.awaitMetrics(Map.of(ACTIVE, 1.0, PROCESSED, 1.0), Duration.ofSeconds(10));
            // the initial INVITE and the ping; the caller still holds
            call.awaitUasReceived("INVITE", 2, Duration.ofSeconds(8), proxy);
            DialogE2E.assertMetricsNow(proxy, Map.of(ACTIVE, 1.0, PROCESSED, 1.0, FAILED, 0.0),
                    "after the re-INVITE ping, while the caller holds");

            CallRun run = call.awaitEnd(CALL_BOUND, UAS_EXIT_BOUND, proxy);
            run.assertAllSucceeded(1);

            List<SipMessageLog.Entry> invites = SipTraces.received(run.uas(), "INVITE");
            List<SipMessageLog.Entry> acks = SipTraces.received(run.uas(), "ACK");
            List<SipMessageLog.Entry> byes = SipTraces.received(run.uas(), "BYE");
            String context = "\n" + run.describe();
            assertEquals(3, invites.size(), "INVITEs at the callee: initial, ping, the caller's re-INVITE" + context);
            assertEquals(3, acks.size(), "ACKs at the callee" + context);
            assertEquals(1, byes.size(), "BYEs at the callee" + context);
            SipMessageLog.Entry initial = invites.get(0);
            SipMessageLog.Entry ping = invites.get(1);
            SipMessageLog.Entry reinvite = invites.get(2);
            long pingCseq = SipTraces.cseqNumber(ping);
            String callerContact = initial.header("contact").get(0);
            assertAll("what the callee saw" + context,
                    () -> assertEquals(SipTraces.cseqNumber(initial) + 1, pingCseq,
                            "the ping uses the next CSeq after the INVITE's"),
                    () -> assertEquals(List.of(callerContact), ping.header("contact"), "the ping's Contact"),
                    () -> assertEquals(pingCseq + " ACK", SipTraces.cseq(acks.get(1)),
                            "the proxy's ACK of the ping's 200"),
                    () -> assertTrue(SipTraces.cseqNumber(reinvite) > pingCseq,
                            "the caller's re-INVITE " + SipTraces.cseq(reinvite) + " above the ping's " + pingCseq),
                    () -> assertTrue(SipTraces.cseqNumber(acks.get(2)) > pingCseq,
                            "the caller's ACK " + SipTraces.cseq(acks.get(2)) + " above the ping's " + pingCseq),
                    () -> assertTrue(SipTraces.cseqNumber(byes.get(0)) > pingCseq,
                            "the caller's BYE " + SipTraces.cseq(byes.get(0)) + " above the ping's " + pingCseq));

            List<String> uacFinals = SipMessageLog.parse(run.uac().messages()).stream()
                    .filter(e -> !e.sent() && e.startLine().startsWith("SIP/2.0 200"))
                    .map(SipTraces::cseq).distinct().toList();
            assertEquals(List.of("1 INVITE", "2 INVITE", "3 BYE"), uacFinals, "CSeqs of the 200s the caller got" + context);
            assertEquals(List.of(), SipTraces.received(run.uac(), "INVITE"), "the caller is not pinged");

            proxy.awaitMetrics(Map.of(ACTIVE, 0.0, EARLY, 0.0, PROCESSED, 1.0, FAILED, 0.0, EXPIRED, 0.0),
                    Duration.ofSeconds(5));
        }
    }

    /** One call, traced on both sides ({@code -trace_msg}), holding {@code holdMs} after its ACK. */
    private static SippProcess.Options oneTracedCall(int holdMs) {
        return SippPair.oneTracedCall(holdMs, CALL_BOUND);
    }
}

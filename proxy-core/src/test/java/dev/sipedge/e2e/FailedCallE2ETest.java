package dev.sipedge.e2e;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls that never get answered, through sipedge over UDP and over TCP:
 * <ul>
 *   <li>scripts/sipp/busy: the callee answers 486; the proxy relays it, ACKs it towards the
 *       callee from its client transaction and absorbs the caller's ACK (RFC 3261 17.1.1.3,
 *       16.7). The UAS fails the call when the ACK it gets is not the proxy's own (two Vias,
 *       a Route, or another branch than the INVITE).</li>
 *   <li>scripts/sipp/cancel: the caller cancels after 180; the proxy answers the CANCEL with
 *       200, sends its own CANCEL on the INVITE's branch (RFC 3261 16.10), relays the 487 and
 *       ACKs it hop by hop.</li>
 * </ul>
 */
@Tag("e2e")
class FailedCallE2ETest {

    private static final int CALLS = 20;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Timeout(value = 60)
    void inviteAnswered486IsRelayedAndAckedHopByHop(String transport) {
        runCalls("busy", transport);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Timeout(value = 60)
    void inviteCancelledAfter180GetsCancel200And487(String transport) {
        runCalls("cancel", transport);
    }

    /** {@code transport}: "udp" or "tcp", for both SIPp sides and the proxy's route to the UAS. */
    private static void runCalls(String scenario, String transport) {
        String name = scenario + "-" + transport;
        Path work = E2eEnvironment.newWorkDir(name);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, transport)) {
            CallRun run = CallRun.run(work, proxy, scenario, uasPort, new SippProcess.Options()
                    .transport(transport.equals("tcp") ? "t1" : "u1").calls(CALLS).rate(10)
                    .timeout(Duration.ofSeconds(30)));
            System.out.println(name + ": " + run.elapsed().toMillis() + " ms");
            run.assertAllSucceeded(CALLS);
        }
    }
}

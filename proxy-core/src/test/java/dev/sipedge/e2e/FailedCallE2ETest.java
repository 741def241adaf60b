package dev.sipedge.e2e;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls that never get answered, over UDP through sipedge:
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

    @Test
    @Timeout(value = 60)
    void inviteAnswered486IsRelayedAndAckedHopByHop() {
        runCalls("busy", "busy");
    }

    @Test
    @Timeout(value = 60)
    void inviteCancelledAfter180GetsCancel200And487() {
        runCalls("cancel", "cancel");
    }

    private static void runCalls(String name, String scenario) {
        Path work = E2eEnvironment.newWorkDir(name);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp")) {
            CallRun run = CallRun.run(work, proxy, scenario, uasPort, new SippProcess.Options()
                    .transport("u1").calls(CALLS).rate(10).timeout(Duration.ofSeconds(30)));
            System.out.println(name + ": " + run.elapsed().toMillis() + " ms");
            run.assertAllSucceeded(CALLS);
        }
    }
}

package dev.sipedge.e2e;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UAC → sipedge → UAS with scripts/sipp/basic: 500 calls at 50 calls/s (INVITE, 180, 200, ACK,
 * BYE, 200; ACK and BYE loose-routed through the proxy along the Record-Route set), over UDP,
 * over TCP, and over UDP with 5 % of the messages dropped by each SIPp, where the proxy's and
 * the user agents' retransmissions must still complete every call.
 */
@Tag("e2e")
class BasicCallE2ETest {

    private static final int CALLS = 500;
    private static final int RATE = 50;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 120)
    void fiveHundredCallsOverUdp() {
        runCalls("basic-udp", "udp", new SippProcess.Options().transport("u1")
                .calls(CALLS).rate(RATE).holdMs(100).timeout(Duration.ofSeconds(60)));
    }

    @Test
    @Timeout(value = 120)
    void fiveHundredCallsOverTcp() {
        runCalls("basic-tcp", "tcp", new SippProcess.Options().transport("t1")
                .calls(CALLS).rate(RATE).holdMs(100).timeout(Duration.ofSeconds(60)));
    }

    @Test
    @Timeout(value = 240)
    void fiveHundredCallsOverUdpWithFivePercentLoss() {
        runCalls("basic-udp-lost5", "udp", new SippProcess.Options().transport("u1")
                .calls(CALLS).rate(RATE).holdMs(100).lostPercent(5).traceMessages(true)
                // the UAS must answer BYE retransmissions for Timer J = 64*T1 (RFC 3261 17.2.2)
                .uasTimeWaitMs(64 * 500).timeout(Duration.ofSeconds(120)));
    }

    private static void runCalls(String name, String proxyToUas, SippProcess.Options options) {
        Path work = E2eEnvironment.newWorkDir(name);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, proxyToUas)) {
            CallRun run = CallRun.run(work, proxy, "basic", uasPort, options);
            System.out.println(name + ": " + run.elapsed().toMillis() + " ms, UAC retransmissions "
                    + run.uac().retransmissions() + ", UAS retransmissions " + run.uas().retransmissions());
            run.assertAllSucceeded(options.calls);
        }
    }
}

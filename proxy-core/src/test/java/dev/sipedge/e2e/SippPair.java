package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A SIPp UAS and UAC of one {@code scripts/sipp/<scenario>} directory, started at once with the
 * same transport, call count and message tracing, for tests that act on the proxy while the calls
 * run (the proxy may be a child process or live in this JVM). Closing stops both.
 */
final class SippPair implements AutoCloseable {

    private final SippProcess uas;
    private final SippProcess uac;

    private SippPair(SippProcess uas, SippProcess uac) {
        this.uas = uas;
        this.uac = uac;
    }

    /**
     * Starts the UAS of {@code scenario/uas.xml} on {@code uasPort} (bounded by {@code uasTimeout},
     * time-wait 1 s), then the UAC of {@code scenario/uacXml} sending to {@code proxyAddress}
     * ("127.0.0.1:port") with {@code uacOptions}.
     */
    static SippPair start(Path workDir, String scenario, String uacXml, String proxyAddress, int uasPort,
            SippProcess.Options uacOptions, Duration uasTimeout) {
        Path dir = E2eEnvironment.scenario(scenario);
        SippProcess uas = SippProcess.startUas(workDir, dir, uasPort, new SippProcess.Options()
                .transport(uacOptions.transport).calls(uacOptions.calls).uasTimeWaitMs(1000)
                .traceMessages(uacOptions.traceMessages).timeout(uasTimeout));
        try {
            return new SippPair(uas, SippProcess.startUac(workDir, dir, uacXml, proxyAddress, FreePorts.udpAndTcp(),
                    uacOptions));
        } catch (RuntimeException | Error e) {
            uas.close();
            throw e;
        }
    }

    /** Waits up to {@code uacBound} for the UAC to exit, then up to {@code uasBound} for the UAS. */
    Ended awaitEnd(Duration uacBound, Duration uasBound) {
        SippResult uacResult = uac.awaitExit(uacBound);
        return new Ended(uacResult, uas.awaitExit(uasBound));
    }

    @Override
    public void close() {
        try {
            uac.close();
        } finally {
            uas.close();
        }
    }

    /** What both SIPp runs left behind. */
    record Ended(SippResult uac, SippResult uas) {

        /** Both sides completed every one of {@code calls} calls; {@code proxyState} is added to failures. */
        void assertAllSucceeded(int calls, Supplier<String> proxyState) {
            Supplier<String> context = () -> uac.describe() + "\n" + uas.describe() + "\n" + proxyState.get();
            assertAll(
                    () -> assertEquals(0, uac.exitStatus(), () -> "UAC exit status\n" + context.get()),
                    () -> assertEquals(calls, uac.successful(), () -> "UAC successful calls\n" + context.get()),
                    () -> assertEquals(0, uac.failed(), () -> "UAC failed calls\n" + context.get()),
                    () -> assertEquals(0, uas.exitStatus(), () -> "UAS exit status\n" + context.get()),
                    () -> assertEquals(calls, uas.successful(), () -> "UAS successful calls\n" + context.get()),
                    () -> assertEquals(0, uas.failed(), () -> "UAS failed calls\n" + context.get()));
        }
    }
}

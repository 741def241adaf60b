package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ACK and BYE follow the route set through the proxy (RFC 3261 12.2.1.1, 16.4, 16.6 step 4),
 * checked on the messages SIPp logged ({@code -trace_msg}) on both sides of a few basic calls,
 * over UDP and over TCP:
 * <ul>
 *   <li>the UAS gets the INVITE with a loose-routing Record-Route naming the proxy;</li>
 *   <li>the UAC sends ACK and BYE to the callee's Contact with Route: &lt;proxy;lr&gt;;</li>
 *   <li>the UAS gets them from the proxy (its Via on top of the caller's), addressed to its
 *       Contact, with the proxy's Route entry consumed (no Route left).</li>
 * </ul>
 */
@Tag("e2e")
class RouteSetE2ETest {

    private static final int CALLS = 5;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Timeout(value = 60)
    void ackAndByeTraverseTheProxyAlongTheRecordRouteSet(String transport) {
        Path work = E2eEnvironment.newWorkDir("route-set-" + transport);
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, transport)) {
            CallRun run = CallRun.run(work, proxy, "basic", uasPort, new SippProcess.Options()
                    .transport(transport.equals("tcp") ? "t1" : "u1").calls(CALLS).rate(5).holdMs(100).traceMessages(true)
                    .timeout(Duration.ofSeconds(30)));
            run.assertAllSucceeded(CALLS);

            String proxyHostPort = "127.0.0.1:" + proxy.sipPort();
            Pattern proxyUri = Pattern.compile("<sip:" + Pattern.quote(proxyHostPort) + "[;>][^>]*");
            Pattern looseRoute = Pattern.compile(";lr[;=>]|;lr$");
            String uasTarget = "sip:127.0.0.1:" + uasPort;

            List<SipMessageLog.Entry> uacLog = SipMessageLog.parse(run.uac().messages());
            List<SipMessageLog.Entry> uasLog = SipMessageLog.parse(run.uas().messages());
            List<Executable> checks = new ArrayList<>();

            List<SipMessageLog.Entry> invitesAtUas = requests(uasLog, false, "INVITE");
            checks.add(() -> assertTrue(invitesAtUas.size() >= CALLS, "INVITEs at the UAS: " + invitesAtUas.size()));
            for (SipMessageLog.Entry invite : invitesAtUas) {
                checks.add(() -> assertTrue(invite.header("record-route").stream()
                                .anyMatch(rr -> proxyUri.matcher(rr).find() && looseRoute.matcher(rr).find()),
                        "INVITE at the UAS without Record-Route <sip:" + proxyHostPort + ";lr>: " + invite));
            }
            for (String method : List.of("ACK", "BYE")) {
                List<SipMessageLog.Entry> sent = requests(uacLog, true, method);
                List<SipMessageLog.Entry> received = requests(uasLog, false, method);
                checks.add(() -> assertTrue(sent.size() >= CALLS, method + "s sent by the UAC: " + sent.size()));
                checks.add(() -> assertTrue(received.size() >= CALLS, method + "s received by the UAS: " + received.size()));
                for (SipMessageLog.Entry request : sent) {
                    checks.add(() -> assertTrue(request.requestUri().startsWith(uasTarget),
                            method + " from the UAC not sent to the callee's Contact " + uasTarget + ": " + request));
                    checks.add(() -> assertTrue(request.header("route").stream()
                                    .anyMatch(route -> proxyUri.matcher(route).find()),
                            method + " from the UAC without Route <sip:" + proxyHostPort + ";lr>: " + request));
                }
                for (SipMessageLog.Entry request : received) {
                    List<String> vias = request.header("via");
                    checks.add(() -> assertTrue(request.requestUri().startsWith(uasTarget),
                            method + " at the UAS not addressed to its Contact " + uasTarget + ": " + request));
                    checks.add(() -> assertEquals(List.of(), request.header("route"),
                            method + " at the UAS still carries a Route (the proxy must remove its own): " + request));
                    checks.add(() -> assertEquals(2, vias.size(), method + " at the UAS: Via stack " + vias));
                    checks.add(() -> assertTrue(!vias.isEmpty() && vias.get(0).contains(proxyHostPort),
                            method + " at the UAS did not come from the proxy " + proxyHostPort + ": Via " + vias));
                }
            }
            assertAll(checks.stream());
        }
    }

    private static List<SipMessageLog.Entry> requests(List<SipMessageLog.Entry> log, boolean sent, String method) {
        return log.stream().filter(e -> e.sent() == sent && e.isRequest(method)).toList();
    }
}

package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a few calls through the proxy, its Prometheus endpoint ({@code metrics.listen} +
 * {@code metrics.path}) counts the requests it received per method.
 */
@Tag("e2e")
class MetricsE2ETest {

    private static final int CALLS = 10;

    @BeforeEach
    void sipp() {
        E2eEnvironment.requireSipp();
    }

    @Test
    @Timeout(value = 60)
    void requestsReceivedAreCountedPerMethod() throws IOException, InterruptedException {
        Path work = E2eEnvironment.newWorkDir("metrics");
        int uasPort = FreePorts.udpAndTcp();
        try (SipedgeProcess proxy = SipedgeProcess.start(work, uasPort, "udp")) {
            CallRun run = CallRun.run(work, proxy, "basic", uasPort, new SippProcess.Options()
                    .transport("u1").calls(CALLS).rate(10).holdMs(50).timeout(Duration.ofSeconds(30)));
            run.assertAllSucceeded(CALLS);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + proxy.metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            assertEquals(200, response.statusCode(), "GET /metrics: " + body);
            assertTrue(body.contains("sipedge_requests_received_total"),
                    "no sipedge_requests_received_total in /metrics:\n" + body);
            for (String method : new String[] {"INVITE", "ACK", "BYE"}) {
                double count = counter(body, method);
                assertTrue(count >= CALLS, "sipedge_requests_received_total{method=\"" + method + "\"} = "
                        + count + ", expected at least " + CALLS + ":\n" + grep(body));
            }
        }
    }

    /** The counter's value for one method, -1 when absent. */
    private static double counter(String body, String method) {
        Matcher m = Pattern.compile("(?m)^sipedge_requests_received_total\\{[^}]*method=\"" + method
                + "\"[^}]*\\}\\s+(\\S+)").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String grep(String body) {
        return body.lines().filter(l -> l.startsWith("sipedge_requests_received_total"))
                .reduce((a, b) -> a + "\n" + b).orElse("(none)");
    }
}

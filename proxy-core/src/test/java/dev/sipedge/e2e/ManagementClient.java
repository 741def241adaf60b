package dev.sipedge.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** HTTP calls to a proxy's management API (127.0.0.1:{@link SipedgeProcess#managementPort()}) for e2e tests. */
final class ManagementClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MS = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final SipedgeProcess proxy;

    ManagementClient(SipedgeProcess proxy) {
        this.proxy = proxy;
    }

    /** An answer: status and JSON body. */
    record Answer(int status, JsonNode json) {
        /** The {@code call-id} of each dialog of a {@code {"count", "dialogs"}} answer. */
        List<String> callIds() {
            List<String> out = new ArrayList<>();
            json.path("dialogs").forEach(d -> out.add(d.path("call-id").asText()));
            return out;
        }
    }

    Answer get(String path) {
        return call("GET", path, "");
    }

    Answer call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.managementPort() + path))
                .timeout(TIMEOUT).method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), MAPPER.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    /** GETs {@code path} every 100 ms until {@code done} holds; fails the test after {@code bound}. */
    Answer await(String path, Predicate<Answer> done, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline && proxy.isAlive()) {
            last = get(path);
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(POLL_MS); // polling the API of another process: nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("within " + bound.toMillis() + " ms GET " + path + " did not show " + what + "; last answer "
                + (last == null ? "none" : last.status() + " " + last.json()) + "\n--- proxy log (tail):\n"
                + proxy.logTail(20));
        return last; // not reached
    }
}

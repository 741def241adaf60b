package dev.sipedge.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One HTTP call to the management API; the answer's status, raw body and parsed JSON. */
final class CtlClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CtlEndpoint endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    CtlClient(CtlEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    URI base() {
        return endpoint.base();
    }

    /** The answer to one request. {@code json} is null when the body is not JSON. */
    record Answer(int status, String body, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The API's {@code error} text, or the raw body. */
        String error() {
            return json != null && json.hasNonNull("error") ? json.get("error").asText() : body.strip();
        }
    }

    /** @throws IOException when the API cannot be reached */
    Answer call(String method, String pathAndQuery) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.base() + pathAndQuery)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        endpoint.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body(), parse(r.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A path segment or query value, percent-encoded (a space as %20, so it reads the same in a path). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}

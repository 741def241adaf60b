package dev.sipedge.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** The answer to an {@link ApiRequest}: a status, a JSON body and extra HTTP headers (e.g. Allow). */
record ApiResponse(HttpResponseStatus status, JsonNode body, Map<String, String> headers) {
    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse of(HttpResponseStatus status, JsonNode body) {
        return new ApiResponse(status, body, Map.of());
    }

    /** {@code {"error": message}}, the shape of every error. */
    static ApiResponse error(HttpResponseStatus status, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", message);
        return of(status, body);
    }
}

package dev.sipedge.management;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API call, decoded from HTTP: the method, the path's segments (each percent-decoded, so an
 * id may contain an encoded '/'), the query parameters and the body.
 */
record ApiRequest(String method, List<String> segments, Map<String, List<String>> query, String body) {
    ApiRequest {
        segments = List.copyOf(segments);
        query = Map.copyOf(query);
    }

    /** The first value of query parameter {@code name}. */
    Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String path() {
        return "/" + String.join("/", segments);
    }
}

package dev.sipedge.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sipedge.dialog.DialogFilter;
import dev.sipedge.dialog.DialogPatch;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.OperatorEnd;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** {@code /dialogs} and {@code /dialogs/{id}}: list, show, end (DELETE) and change (PATCH) calls. */
final class DialogResource {
    private static final Set<String> PATCH_KEYS = Set.of("timeout", "values", "flags");
    private static final Set<String> END_KEYS = Set.of("reason", "headers");

    private final DialogOperations dialogs;

    DialogResource(DialogOperations dialogs) {
        this.dialogs = dialogs;
    }

    /** {@code GET /dialogs?callid=&state=&limit=&offset=}. */
    CompletableFuture<ApiResponse> list(ApiRequest r) {
        DialogFilter filter = DialogFilter.ALL;
        Optional<String> callId = r.param("callid");
        if (callId.isPresent()) {
            filter = filter.withIdOrCallId(callId.get());
        }
        Optional<String> state = r.param("state");
        if (state.isPresent()) {
            filter = filter.withState(DialogJson.parseState(state.get()).orElseThrow(() -> ApiException.badRequest(
                    "state must be unconfirmed, early, answered, confirmed or ended, got '" + state.get() + "'")));
        }
        Paging paging = Paging.from(r);
        String wantedCallId = callId.orElse(null);
        return dialogs.list(filter).thenApply(all -> {
            // ?callid= is a Call-ID: the filter also takes a did, which must not match here
            List<DialogSnapshot> matching = wantedCallId == null ? all
                    : all.stream().filter(d -> d.callId().equals(wantedCallId)).toList();
            return ApiResponse.of(HttpResponseStatus.OK, DialogJson.list(paging.page(matching), matching.size()));
        });
    }

    /** {@code GET /dialogs/{id}}: by did, else the first dialog of that Call-ID. */
    CompletableFuture<ApiResponse> show(ApiRequest r, String id) {
        return dialogs.list(DialogFilter.ALL.withIdOrCallId(id)).thenApply(found -> {
            if (found.isEmpty()) {
                throw noDialog(id);
            }
            DialogSnapshot byId = found.stream().filter(d -> d.id().equals(id)).findFirst().orElse(found.get(0));
            return ApiResponse.of(HttpResponseStatus.OK, DialogJson.render(byId));
        });
    }

    /** {@code DELETE /dialogs/{id}?reason=}, optional body {@code {"reason": "...", "headers": ["X-A: b"]}}. */
    CompletableFuture<ApiResponse> end(ApiRequest r, String id) {
        ObjectNode body = bodyObject(r, END_KEYS);
        Optional<String> reason = r.param("reason");
        if (body.has("reason")) {
            reason = Optional.of(text(body.get("reason"), "reason"));
        }
        List<String> headers = new ArrayList<>(r.query().getOrDefault("header", List.of()));
        if (body.has("headers")) {
            headers.addAll(strings(body.get("headers"), "headers"));
        }
        OperatorEnd how;
        try {
            how = new OperatorEnd(reason, headers);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return dialogs.end(id, how).thenApply(ended -> {
            if (ended == 0) {
                throw noDialog(id);
            }
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("ending", ended);
            return ApiResponse.of(HttpResponseStatus.ACCEPTED, o);
        });
    }

    /** {@code PATCH /dialogs/{id}} with {@code {"timeout": s, "values": {...}, "flags": [...]}}. */
    CompletableFuture<ApiResponse> patch(ApiRequest r, String id) {
        ObjectNode body = bodyObject(r, PATCH_KEYS);
        if (body.isEmpty()) {
            throw ApiException.badRequest("PATCH needs a JSON object with timeout, values or flags");
        }
        Optional<Duration> lifetime = Optional.empty();
        if (body.has("timeout")) {
            JsonNode t = body.get("timeout");
            if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() <= 0) {
                throw ApiException.badRequest("timeout must be a whole number of seconds > 0");
            }
            lifetime = Optional.of(Duration.ofSeconds(t.asLong()));
        }
        Map<String, String> values = new HashMap<>();
        if (body.has("values")) {
            JsonNode v = body.get("values");
            if (!v.isObject()) {
                throw ApiException.badRequest("values must be an object of strings (null removes a key)");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), e.getValue().isNull() ? "" : text(e.getValue(), "values." + e.getKey()));
            }
        }
        Optional<Set<String>> flags = body.has("flags")
                ? Optional.of(new HashSet<>(strings(body.get("flags"), "flags"))) : Optional.empty();
        return dialogs.patch(id, new DialogPatch(lifetime, values, flags)).thenApply(patched -> ApiResponse.of(
                HttpResponseStatus.OK, DialogJson.render(patched.orElseThrow(() -> noDialog(id)))));
    }

    static ApiException noDialog(String id) {
        return ApiException.notFound("no live dialog with id or Call-ID '" + id + "'");
    }

    /** The body as a JSON object with only {@code allowed} keys; an empty body is an empty object. */
    static ObjectNode bodyObject(ApiRequest r, Set<String> allowed) {
        if (r.body().isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode o)) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw ApiException.badRequest("unknown key '" + key + "' (known: " + new TreeSet<>(allowed) + ")");
            }
        }
        return o;
    }

    private static String text(JsonNode n, String what) {
        if (!n.isTextual()) {
            throw ApiException.badRequest(what + " must be a string");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode n, String what) {
        if (!n.isArray()) {
            throw ApiException.badRequest(what + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(text(e, what + "[]")));
        return out;
    }
}

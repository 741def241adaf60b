package dev.sipedge.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sipedge.dialog.DialogFilter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code /profiles}, {@code /profiles/{name}} and {@code /profiles/{name}/dialogs}. */
final class ProfileResource {
    private final DialogOperations dialogs;

    ProfileResource(DialogOperations dialogs) {
        this.dialogs = dialogs;
    }

    /** {@code GET /profiles}: every declared profile with its size. */
    CompletableFuture<ApiResponse> list(ApiRequest r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode profiles = o.putArray("profiles");
        for (ProfileView p : dialogs.profiles()) {
            ObjectNode entry = profiles.addObject();
            entry.put("name", p.name());
            entry.put("with-value", p.withValue());
            entry.put("size", p.size());
        }
        return CompletableFuture.completedFuture(ApiResponse.of(HttpResponseStatus.OK, o));
    }

    /** {@code GET /profiles/{name}?value=}: its size (under the value) and the size per value. */
    CompletableFuture<ApiResponse> show(ApiRequest r, String name) {
        ProfileView p = profile(name);
        Optional<String> value = value(r, p);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", p.name());
        o.put("size", value.map(p::size).orElse(p.size()));
        ObjectNode values = o.putObject("values");
        if (value.isPresent()) {
            values.put(value.get(), p.size(value.get()));
        } else {
            for (Map.Entry<String, Integer> e : p.values().entrySet()) {
                values.put(e.getKey(), e.getValue());
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(HttpResponseStatus.OK, o));
    }

    /** {@code GET /profiles/{name}/dialogs?value=&limit=&offset=}: its members, rendered as dialogs. */
    CompletableFuture<ApiResponse> members(ApiRequest r, String name) {
        ProfileView p = profile(name);
        Optional<String> value = value(r, p);
        Paging paging = Paging.from(r);
        return dialogs.list(DialogFilter.ALL.inProfile(p.name(), value.orElse(null))).thenApply(all ->
                ApiResponse.of(HttpResponseStatus.OK, DialogJson.list(paging.page(all), all.size())));
    }

    /** {@code DELETE /profiles/{name}/dialogs?value=}: ends every member (under the value). */
    CompletableFuture<ApiResponse> end(ApiRequest r, String name) {
        ProfileView p = profile(name);
        Optional<String> value = value(r, p);
        return dialogs.endProfile(p.name(), value.orElse(null)).thenApply(ended -> {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("ending", ended);
            return ApiResponse.of(HttpResponseStatus.ACCEPTED, o);
        });
    }

    private ProfileView profile(String name) {
        return dialogs.profile(name).orElseThrow(() -> ApiException.notFound("no dialog profile named '" + name + "'"));
    }

    private static Optional<String> value(ApiRequest r, ProfileView p) {
        Optional<String> value = r.param("value");
        if (value.isPresent() && !p.withValue()) {
            throw ApiException.badRequest("profile '" + p.name() + "' has no values");
        }
        return value;
    }
}

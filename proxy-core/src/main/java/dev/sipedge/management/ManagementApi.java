package dev.sipedge.management;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources of DESIGN.md's "Management API" table, routed by path and method, without HTTP:
 * the Netty handler decodes an {@link ApiRequest} and writes the {@link ApiResponse} this
 * completes with. An unknown path is 404, a known path with another method 405 (with Allow);
 * every refusal is {@code {"error": ...}}.
 */
final class ManagementApi {
    private static final Logger log = LoggerFactory.getLogger(ManagementApi.class);

    private final DialogResource dialogs;
    private final ProfileResource profiles;
    private final ProcessResource process;

    ManagementApi(DialogOperations dialogOperations, ProcessControl processControl, Executor blocking) {
        this.dialogs = new DialogResource(dialogOperations);
        this.profiles = new ProfileResource(dialogOperations);
        this.process = new ProcessResource(processControl, blocking);
    }

    /** Never completes exceptionally: failures become error answers. */
    CompletableFuture<ApiResponse> handle(ApiRequest r) {
        CompletableFuture<ApiResponse> answer;
        try {
            Optional<Map<String, Function<ApiRequest, CompletableFuture<ApiResponse>>>> resource = resource(r.segments());
            if (resource.isEmpty()) {
                return CompletableFuture.completedFuture(ApiResponse.error(HttpResponseStatus.NOT_FOUND,
                        "no resource " + r.path()));
            }
            Function<ApiRequest, CompletableFuture<ApiResponse>> handler = resource.get().get(r.method());
            if (handler == null) {
                String allow = String.join(", ", resource.get().keySet());
                return CompletableFuture.completedFuture(new ApiResponse(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                                r.method() + " is not allowed on " + r.path() + " (allowed: " + allow + ")").body(),
                        Map.of("Allow", allow)));
            }
            answer = handler.apply(r);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(ManagementApi::failure);
    }

    /** The methods of the resource at {@code path}, in the order Allow lists them; empty: no such resource. */
    private Optional<Map<String, Function<ApiRequest, CompletableFuture<ApiResponse>>>> resource(List<String> path) {
        Map<String, Function<ApiRequest, CompletableFuture<ApiResponse>>> methods = new LinkedHashMap<>();
        int n = path.size();
        String first = n == 0 ? "" : path.get(0);
        if (n == 1 && first.equals("health")) {
            methods.put("GET", process::health);
        } else if (n == 1 && first.equals("reload")) {
            methods.put("POST", process::reload);
        } else if (n == 1 && first.equals("dialogs")) {
            methods.put("GET", dialogs::list);
        } else if (n == 2 && first.equals("dialogs") && !path.get(1).isEmpty()) {
            String id = path.get(1);
            methods.put("GET", r -> dialogs.show(r, id));
            methods.put("PATCH", r -> dialogs.patch(r, id));
            methods.put("DELETE", r -> dialogs.end(r, id));
        } else if (n == 1 && first.equals("profiles")) {
            methods.put("GET", profiles::list);
        } else if (n == 2 && first.equals("profiles") && !path.get(1).isEmpty()) {
            String name = path.get(1);
            methods.put("GET", r -> profiles.show(r, name));
        } else if (n == 3 && first.equals("profiles") && path.get(2).equals("dialogs")) {
            String name = path.get(1);
            methods.put("GET", r -> profiles.members(r, name));
            methods.put("DELETE", r -> profiles.end(r, name));
        } else {
            return Optional.empty();
        }
        return Optional.of(methods);
    }

    private static ApiResponse failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ApiException api) {
            return api.response();
        }
        if (cause instanceof IllegalArgumentException) {
            return ApiResponse.error(HttpResponseStatus.BAD_REQUEST, cause.getMessage());
        }
        log.warn("management API request failed", cause);
        return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + cause);
    }
}

package dev.sipedge.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code /health} and {@code /reload}: the process itself, through {@link ProcessControl}. */
final class ProcessResource {
    private final ProcessControl process;
    private final Executor blocking;

    /** @param blocking where {@link ProcessControl#reload} runs: it reads a file, so never on an event loop */
    ProcessResource(ProcessControl process, Executor blocking) {
        this.process = process;
        this.blocking = blocking;
    }

    /** {@code GET /health}: 200 up, or 503 draining during a graceful stop (for load balancers). */
    CompletableFuture<ApiResponse> health(ApiRequest r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        boolean draining = process.draining();
        o.put("status", draining ? "draining" : "up");
        return CompletableFuture.completedFuture(ApiResponse.of(
                draining ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK, o));
    }

    /** {@code POST /reload}: 200 with what changed, or 400 with why the file was refused. */
    CompletableFuture<ApiResponse> reload(ApiRequest r) {
        return CompletableFuture.supplyAsync(process::reload, blocking).thenApply(outcome -> {
            if (outcome instanceof ReloadOutcome.Applied applied) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                ArrayNode changed = o.putArray("changed");
                applied.changed().forEach(changed::add);
                ArrayNode restart = o.putArray("need-restart");
                applied.needRestart().forEach(restart::add);
                return ApiResponse.of(HttpResponseStatus.OK, o);
            }
            ReloadOutcome.Refused refused = (ReloadOutcome.Refused) outcome;
            return ApiResponse.error(HttpResponseStatus.BAD_REQUEST, refused.error());
        });
    }
}

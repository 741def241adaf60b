package dev.sipedge.management;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API refuses, with the status and message of its {@code {"error": ...}} answer. */
final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;

    ApiException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, message);
    }

    ApiResponse response() {
        return ApiResponse.error(status, getMessage());
    }
}

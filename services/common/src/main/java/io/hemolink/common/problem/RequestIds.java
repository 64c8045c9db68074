package io.hemolink.common.problem;

import io.vertx.core.http.HttpServerRequest;

import java.util.UUID;

/** The request id of a call: the caller's (or the gateway's) {@code X-Request-Id}, or a new one kept for the rest of the call. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";

    private RequestIds() {
    }

    public static String of(HttpServerRequest request) {
        if (request == null) {
            return UUID.randomUUID().toString();
        }
        String given = request.getHeader(HEADER);
        if (given != null && given.length() <= 100 && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        // a call without one (not through the gateway) gets one, kept on the request so every part names the same
        String id = UUID.randomUUID().toString();
        request.headers().set(HEADER, id);
        return id;
    }
}

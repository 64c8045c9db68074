package io.hemolink.common.problem;

import io.vertx.core.http.HttpServerRequest;

import java.util.UUID;

/** The request id of a call: the caller's (or the gateway's) {@code X-Request-Id}, or a new one. */
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
        return UUID.randomUUID().toString();
    }
}

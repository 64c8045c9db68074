package io.hemolink.auth;

import io.vertx.ext.web.RoutingContext;

/** The bearer token of a request, read one way everywhere. */
public final class BearerTokens {

    private BearerTokens() {
    }

    /** The token of the request's {@code Authorization: Bearer} header, or null. */
    public static String of(RoutingContext rc) {
        String auth = rc.request().getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }
}

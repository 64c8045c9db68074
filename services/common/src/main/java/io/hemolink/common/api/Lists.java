package io.hemolink.common.api;

import io.hemolink.common.problem.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The list convention of api.md: {@code ?limit=} (default 50, max 500) and an opaque {@code ?cursor=}. */
public final class Lists {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private Lists() {
    }

    public static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.unprocessable("INVALID_VALUE", "limit must be between 1 and " + MAX_LIMIT, "limit");
        }
        return limit;
    }

    public static String cursor(String position) {
        return position == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for; 400 CURSOR_INVALID when it is not one of ours. */
    public static String position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("CURSOR_INVALID", "the cursor is not one this service handed out");
        }
    }

    public static long seqPosition(String cursor) {
        String p = position(cursor);
        if (p == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(p);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("CURSOR_INVALID", "the cursor is not one this service handed out");
        }
    }
}

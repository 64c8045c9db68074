package io.hemolink.common.api;

import io.hemolink.common.input.TextRules;
import io.hemolink.common.problem.ApiException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

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
        String position;
        try {
            position = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalid();
        }
        // a made-up cursor may decode to anything, a NUL too, and positions reach SQL (found by ApiFuzzer)
        if (TextRules.firstRefusedInUrl(position) >= 0) {
            throw invalid();
        }
        return position;
    }

    public static long seqPosition(String cursor) {
        String p = position(cursor);
        if (p == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(p);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest("CURSOR_INVALID", "the cursor is not one this service handed out");
    }
}

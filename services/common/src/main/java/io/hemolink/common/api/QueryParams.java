package io.hemolink.common.api;

import io.hemolink.common.problem.ApiException;

import java.util.Arrays;

/**
 * Query parameters read strictly (ADR 0021): a value that is not one the parameter takes is 422
 * {@code INVALID_VALUE} naming the parameter, never taken as false, null or a default. Absent or empty: null.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** {@code true} or {@code false} (any case), nothing else. */
    public static Boolean bool(String text, String name) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw ApiException.unprocessable("INVALID_VALUE", name + " must be true or false", name);
    }

    /** One of the enum's constants, exactly as api.md writes them. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String text, String name) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("INVALID_VALUE",
                    name + ": '" + text + "' is not one of " + Arrays.toString(type.getEnumConstants()), name);
        }
    }
}

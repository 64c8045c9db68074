package io.hemolink.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document with the stable {@code code} every Hemolink error carries, and per-field
 * {@code errors} for validation failures. Never carries a stack trace or a class name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance,
                      String requestId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected input field: the JSON path of the field and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String title, String detail, List<FieldError> errors) {
        return new Problem("https://hemolink.io/problems/" + code.toLowerCase().replace('_', '-'), title, status,
                detail, code, null, null, errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    public Problem withInstance(String instance, String requestId) {
        return new Problem(type, title, status, detail, code, instance, requestId, errors);
    }
}

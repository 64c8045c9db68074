package io.hemolink.common.problem;

import java.util.List;

/**
 * The one exception a service throws for an error its caller should see: an HTTP status, a stable
 * UPPER_SNAKE code and a human detail. Mapped to problem+json by {@link ProblemMappers}. Throwing it inside a
 * transaction rolls the transaction back, so a rejected request changes nothing.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final transient List<Problem.FieldError> errors;
    private final Long retryAfterSeconds;

    public ApiException(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of());
    }

    public ApiException(int status, String code, String title, String detail, List<Problem.FieldError> errors) {
        this(status, code, title, detail, errors, null);
    }

    private ApiException(int status, String code, String title, String detail, List<Problem.FieldError> errors,
                         Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, "Bad request", detail);
    }

    public static ApiException unprocessable(String code, String detail) {
        return new ApiException(422, code, "Unprocessable request", detail);
    }

    public static ApiException unprocessable(String code, String detail, String field) {
        return new ApiException(422, code, "Unprocessable request", detail,
                List.of(new Problem.FieldError(field, detail)));
    }

    /** 429: the call may be made again after {@code retryAfterSeconds} (sent as {@code Retry-After}, at least 1). */
    public static ApiException tooManyRequests(String code, String detail, long retryAfterSeconds) {
        return new ApiException(429, code, "Too many requests", detail, List.of(), Math.max(1, retryAfterSeconds));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", "Not found", what + " was not found");
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, "Conflict", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "FORBIDDEN", "Forbidden", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for {@code Retry-After}, or null when the answer has none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        return Problem.of(status, code, title, getMessage(), errors);
    }
}

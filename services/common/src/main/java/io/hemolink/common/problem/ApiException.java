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

    public ApiException(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of());
    }

    public ApiException(int status, String code, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
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

    public Problem toProblem() {
        return Problem.of(status, code, title, getMessage(), errors);
    }
}

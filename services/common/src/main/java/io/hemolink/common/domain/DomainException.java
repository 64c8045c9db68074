package io.hemolink.common.domain;

import java.util.List;

/**
 * A rule of the domain refused something: plain Java, no HTTP. It carries a stable UPPER_SNAKE {@code code}, a human
 * detail, the fields at fault (if any) and its {@link Kind}; the API layer maps the kind to a status in one place
 * (ProblemMappers), and a consumer treats it as deterministic: the same event would be refused again, so it is never
 * retried. Thrown inside a transaction it rolls the transaction back, so a refused change writes nothing.
 */
public class DomainException extends RuntimeException {

    /** What kind of refusal this is. */
    public enum Kind {
        /** the request or event breaks a rule of its content (a caller sees 422) */
        INVALID,
        /** what it names does not exist, or is another tenant's (404) */
        NOT_FOUND,
        /** it clashes with the current state (409) */
        CONFLICT,
        /** the actor may not do this (403) */
        FORBIDDEN
    }

    /** One field at fault: its path in the request (e.g. {@code lines[0].quantity}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    private final Kind kind;
    private final String code;
    private final transient List<FieldError> errors;

    public DomainException(Kind kind, String code, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.kind = kind;
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static DomainException invalid(String code, String detail) {
        return new DomainException(Kind.INVALID, code, detail, List.of());
    }

    public static DomainException invalid(String code, String detail, String field) {
        return new DomainException(Kind.INVALID, code, detail, List.of(new FieldError(field, detail)));
    }

    public static DomainException invalid(String code, String detail, List<FieldError> errors) {
        return new DomainException(Kind.INVALID, code, detail, errors);
    }

    public static DomainException notFound(String what) {
        return new DomainException(Kind.NOT_FOUND, "NOT_FOUND", what + " was not found", List.of());
    }

    public static DomainException conflict(String code, String detail) {
        return new DomainException(Kind.CONFLICT, code, detail, List.of());
    }

    public static DomainException forbidden(String detail) {
        return forbidden("FORBIDDEN", detail);
    }

    public static DomainException forbidden(String code, String detail) {
        return new DomainException(Kind.FORBIDDEN, code, detail, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public String toString() {
        return kind + " " + code + ": " + getMessage();
    }
}

package io.hemolink.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hemolink.common.domain.DomainException;
import io.hemolink.common.input.ControlCharacterException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The single mapping from exceptions to problem+json, for every service. The table of codes is in
 * docs/architecture.md ("Errors"). Unknown failures become 500 INTERNAL_ERROR with a request id and no details.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        Response r = respond(e.toProblem(), request);
        return e.retryAfterSeconds() == null ? r
                : Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds().toString()).build();
    }

    /** A rule of the domain refused the request: its kind decides the status, its code is the problem's code. */
    @ServerExceptionMapper
    public Response domain(DomainException e, HttpServerRequest request) {
        return respond(problemOf(e), request);
    }

    static Problem problemOf(DomainException e) {
        List<Problem.FieldError> errors = e.errors().stream()
                .map(f -> new Problem.FieldError(f.field(), f.message())).toList();
        return switch (e.kind()) {
            case INVALID -> Problem.of(422, e.code(), "Unprocessable request", e.getMessage(), errors);
            case NOT_FOUND -> Problem.of(404, e.code(), "Not found", e.getMessage(), errors);
            case CONFLICT -> Problem.of(409, e.code(), "Conflict", e.getMessage(), errors);
            case FORBIDDEN -> Problem.of(403, e.code(), "Forbidden", e.getMessage(), errors);
        };
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(Problem.of(422, "VALIDATION_FAILED", "Validation failed", detail, errors), request);
    }

    /** A JSON string holding a control character (ADR 0021): 422 naming the field. */
    @ServerExceptionMapper
    public Response controlCharacter(ControlCharacterException e, HttpServerRequest request) {
        String field = path(e);
        String detail = e.getOriginalMessage();
        return respond(Problem.of(422, "CONTROL_CHARACTER", "Control character", field + ": " + detail,
                List.of(new Problem.FieldError(field, detail))), request);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, HttpServerRequest request) {
        String field = path(e);
        String detail;
        if (e.getTargetType() != null && e.getTargetType().isEnum()) {
            detail = "'" + e.getValue() + "' is not one of " + java.util.Arrays.toString(e.getTargetType().getEnumConstants());
        } else {
            detail = "'" + e.getValue() + "' is not a valid value";
        }
        return respond(Problem.of(422, "INVALID_VALUE", "Invalid value", field + ": " + detail,
                List.of(new Problem.FieldError(field, detail))), request);
    }

    @ServerExceptionMapper
    public Response unknownProperty(UnrecognizedPropertyException e, HttpServerRequest request) {
        String field = path(e);
        return respond(Problem.of(400, "UNKNOWN_FIELD", "Unknown field", field + " is not a known field",
                List.of(new Problem.FieldError(field, "unknown field"))), request);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        String field = path(e);
        if (scalarForScalar(e)) {
            // "2" or true for a number, 42 for a string: a value of the wrong kind, refused as such (ADR 0021)
            String detail = "not a value of the type this field takes";
            return respond(Problem.of(422, "INVALID_VALUE", "Invalid value", field + ": " + detail,
                    List.of(new Problem.FieldError(field, detail))), request);
        }
        String detail = field.isEmpty() ? "the request body does not have the expected shape"
                : field + " has the wrong type or shape";
        return respond(Problem.of(400, "MALFORMED_JSON", "Malformed JSON", detail,
                field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, "wrong type or shape"))), request);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, HttpServerRequest request) {
        Throwable cause = e.getCause();
        String field = path(e);
        if (cause instanceof DateTimeParseException) {
            return respond(Problem.of(422, "INVALID_VALUE", "Invalid value", field + ": not an ISO-8601 timestamp",
                    List.of(new Problem.FieldError(field, "not an ISO-8601 timestamp"))), request);
        }
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            String message = cause.getMessage() == null ? "invalid value" : cause.getMessage();
            return respond(Problem.of(422, "INVALID_VALUE", "Invalid value", field + ": " + message,
                    List.of(new Problem.FieldError(field, message))), request);
        }
        return respond(Problem.of(400, "MALFORMED_JSON", "Malformed JSON", "the request body could not be read", List.of()),
                request);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return respond(Problem.of(400, "MALFORMED_JSON", "Malformed JSON", "the request body is not valid JSON", List.of()),
                request);
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(jakarta.persistence.OptimisticLockException e, HttpServerRequest request) {
        return respond(Problem.of(409, "CONCURRENT_UPDATE", "Conflict",
                "someone changed this at the same moment; read it again and retry", List.of()), request);
    }

    /** The token could not be checked because the identity provider is unreachable: a retryable 503, not a 500. */
    @ServerExceptionMapper
    public Response identityProviderDown(io.quarkus.oidc.OIDCException e, HttpServerRequest request) {
        LOG.warnf("token check failed on %s %s: %s", request.method(), request.path(), e.getMessage());
        Response r = respond(Problem.of(503, "AUTH_UNAVAILABLE", "Service unavailable",
                "tokens cannot be checked right now; retry shortly", List.of()), request);
        return Response.fromResponse(r).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return respond(Problem.of(401, "UNAUTHORIZED", "Unauthorized", "a valid bearer token is required", List.of()),
                request);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthorized(null, request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(Problem.of(403, "FORBIDDEN", "Forbidden", "your role may not do this", List.of()), request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        Throwable cause = e.getCause();
        if (status == 404 && cause instanceof IllegalArgumentException) {
            return unconvertibleParameter(cause, request);
        }
        if (cause instanceof JsonProcessingException jpe) {
            if (jpe instanceof ControlCharacterException cce) {
                return controlCharacter(cce, request);
            }
            if (jpe instanceof InvalidFormatException ife) {
                return invalidFormat(ife, request);
            }
            if (jpe instanceof UnrecognizedPropertyException upe) {
                return unknownProperty(upe, request);
            }
            if (jpe instanceof MismatchedInputException mie) {
                return mismatchedInput(mie, request);
            }
            if (jpe instanceof JsonMappingException jme) {
                return jsonMapping(jme, request);
            }
            return json(jpe, request);
        }
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "HTTP_" + status;
        };
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 404 ? "no such resource" : title;
        return respond(Problem.of(status, code, title, detail, List.of()), request);
    }

    /**
     * A query or path parameter that is not of its declared type ({@code ?limit=abc}, {@code ?limit=1.5}): JAX-RS says
     * 404, but the resource exists and the value is wrong, so 422 {@code INVALID_VALUE} (ADR 0021), naming the query
     * parameter whose value it was where that can be told.
     */
    private Response unconvertibleParameter(Throwable cause, HttpServerRequest request) {
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        String field = null;
        if (request != null) {
            for (var entry : request.params()) {
                if (!entry.getValue().isEmpty() && message.contains("\"" + entry.getValue() + "\"")) {
                    field = entry.getKey();
                    break;
                }
            }
        }
        String detail = (field == null ? "a parameter" : field) + " does not have a value of its type";
        return respond(Problem.of(422, "INVALID_VALUE", "Invalid value", detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, "not a value of its type"))), request);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String requestId = RequestIds.of(request);
        LOG.errorf(e, "unexpected failure on %s %s (request %s)", request.method(), request.path(), requestId);
        return respond(Problem.of(500, "INTERNAL_ERROR", "Internal error",
                "the request failed unexpectedly; quote request id " + requestId, List.of()), request);
    }

    static Response respond(Problem problem, HttpServerRequest request) {
        Problem full = problem.withInstance(request == null ? null : request.path(), RequestIds.of(request));
        return Response.status(full.status()).type(Problem.MEDIA_TYPE).entity(full).build();
    }

    /** A scalar JSON value (string, number, boolean) where a scalar of another kind was expected. */
    private static boolean scalarForScalar(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return false;
        }
        com.fasterxml.jackson.core.JsonToken token = e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser
                ? parser.currentToken() : null;
        boolean scalarTarget = target.isPrimitive() || Number.class.isAssignableFrom(target) || target == Boolean.class
                || target == String.class || target.isEnum();
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        boolean structure = message.contains("START_ARRAY") || message.contains("START_OBJECT")
                || (token != null && token.isStructStart());
        return scalarTarget && !structure && token != com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "create.arg0.lines[0].quantity" -> "lines[0].quantity": drop the method and parameter nodes
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        if (parts.length == 3 && !parts[0].contains("[")) {
            return parts[2];
        }
        if (parts.length == 2 && !parts[0].contains("[")) {
            return parts[1].startsWith("arg") || parts[1].equals("body") ? "body" : parts[1];
        }
        return path;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}

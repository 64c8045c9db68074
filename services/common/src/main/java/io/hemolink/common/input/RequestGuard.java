package io.hemolink.common.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.problem.RequestIds;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What every request must be before anything reads it (ADR 0021), checked on the HTTP layer ahead of routing, so
 * the answer is problem+json whatever would have read the request:
 * <ul>
 *   <li>a body larger than {@code quarkus.http.limits.max-body-size} (by its {@code Content-Length}): 413
 *   {@code BODY_TOO_LARGE}; a chunked body is read here with the same limit and answered the same;</li>
 *   <li>percent-encoding that is not %XX of valid UTF-8: 400 {@code MALFORMED_QUERY} or {@code MALFORMED_PATH};</li>
 *   <li>a control character in a decoded path segment or query parameter ({@link TextRules}): 422
 *   {@code CONTROL_CHARACTER} naming the parameter ({@code path} for the path);</li>
 *   <li>a POST, PUT or PATCH without a body is read as JSON, whatever {@code Content-Type} a tool sent or left out,
 *   so an optional body may be left out ({@code curl -X POST …/cancel}) and a required one is refused by validation
 *   (422), never 415.</li>
 * </ul>
 */
@ApplicationScoped
public class RequestGuard {

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    private BodyHandler chunkedBodies;

    void register(@Observes Filters filters) {
        chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue()).setHandleFileUploads(false);
        filters.register(this::check, 3000);
    }

    /**
     * What Vert.x refuses before any filter runs, answered as problem+json too: a chunked body cut off at the limit
     * (413), and a URL its router cannot decode (400).
     */
    void failures(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            if (rc.response().headWritten()) {
                rc.next();
                return;
            }
            String uri = rc.request().uri();
            int q = uri.indexOf('?');
            String rawPath = q < 0 ? uri : uri.substring(0, q);
            Problem problem = rc.statusCode() == 413 ? bodyTooLarge(maxBodySize.asLongValue()) : pathProblem(rawPath);
            if (problem == null && q >= 0) {
                problem = queryProblem(uri.substring(q + 1));
            }
            if (problem == null) {
                rc.next();
            } else {
                answer(rc, problem, rawPath);
            }
        });
    }

    void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        Problem refused = tooLarge(request);
        if (refused == null) {
            refused = pathProblem(rawPath);
        }
        if (refused == null && q >= 0) {
            refused = queryProblem(uri.substring(q + 1));
        }
        if (refused != null) {
            answer(rc, refused, rawPath);
            return;
        }
        HttpMethod m = request.method();
        if (m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH) {
            if (hasNoBody(request)) {
                // nothing to interpret: read as JSON whatever the client's tool put in Content-Type (or left out)
                request.headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
            } else if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                // chunked: read with the limit here (the resource then reads the buffered body), 413 over it
                chunkedBodies.handle(rc);
                return;
            }
        }
        rc.next();
    }

    private Problem tooLarge(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Problem.of(400, "BAD_REQUEST", "Bad request", "Content-Length is not a number", List.of());
        }
        return n > maxBodySize.asLongValue() ? bodyTooLarge(maxBodySize.asLongValue()) : null;
    }

    /** The 413 of ADR 0021, also for a chunked body Vert.x cut off. */
    public static Problem bodyTooLarge(long limit) {
        return Problem.of(413, "BODY_TOO_LARGE", "Content too large",
                "a request body may have at most " + limit + " bytes", List.of());
    }

    private static Problem pathProblem(String rawPath) {
        for (String segment : rawPath.split("/")) {
            String decoded = decode(segment, false);
            if (decoded == null) {
                return Problem.of(400, "MALFORMED_PATH", "Malformed path",
                        "the path has percent-encoding that is not %XX of UTF-8", List.of());
            }
            int at = TextRules.firstRefusedInUrl(decoded);
            if (at >= 0) {
                return controlCharacter("path", decoded, at);
            }
        }
        return null;
    }

    private static Problem queryProblem(String rawQuery) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            if (name == null || value == null) {
                return Problem.of(400, "MALFORMED_QUERY", "Malformed query",
                        "the query string has percent-encoding that is not %XX of UTF-8", List.of());
            }
            int at = TextRules.firstRefusedInUrl(name);
            if (at >= 0) {
                return controlCharacter("query", name, at);
            }
            at = TextRules.firstRefusedInUrl(value);
            if (at >= 0) {
                return controlCharacter(name, value, at);
            }
        }
        return null;
    }

    private static Problem controlCharacter(String field, String text, int at) {
        String message = "holds a control character (" + TextRules.describe(text, at) + ")";
        return Problem.of(422, "CONTROL_CHARACTER", "Control character", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    /** Percent-decodes (and '+' as space in a query); null when the encoding is broken or not UTF-8. */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0) {
            return plusIsSpace ? raw.replace('+', ' ') : raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                String s = plusIsSpace && c == '+' ? " " : String.valueOf(c);
                bytes.put(s.getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean hasNoBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null && (length == null || length.trim().equals("0"));
    }

    private void answer(RoutingContext rc, Problem problem, String rawPath) {
        Problem full = problem.withInstance(rawPath, RequestIds.of(rc.request()));
        String json;
        try {
            json = mapper.writeValueAsString(full);
        } catch (JsonProcessingException e) {
            json = "{\"status\":" + full.status() + ",\"code\":\"" + full.code() + "\"}";
        }
        var response = rc.response().setStatusCode(full.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, full.requestId());
        if (full.status() == 413) {
            // the rest of the body is not read: the connection cannot be reused
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(json);
    }
}

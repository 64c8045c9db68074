package io.hemolink.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} for creating POSTs. The action and the record of its response commit in one
 * transaction, under a lock on (caller, operation, key): the same key and body again replay the first response;
 * the same key with another body is 422 {@code IDEMPOTENCY_KEY_REUSED}. A failed action records nothing, so the
 * caller may retry with the same key. Keys are scoped per caller, so two hospitals never collide.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    /** Marks a response replayed for a repeated key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,64}");

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    @Inject
    Caller caller;

    /**
     * Runs {@code action} once per key.
     *
     * @param key       the header value, or null (then the action simply runs)
     * @param operation a stable name of the operation, e.g. "POST /orders"
     * @param request   the parsed request body, compared by its canonical JSON
     */
    @Transactional
    public Response run(String key, String operation, Object request, Supplier<Response> action) {
        if (key == null) {
            return action.get();
        }
        if (!KEY.matcher(key).matches()) {
            throw new ApiException(400, "IDEMPOTENCY_KEY_INVALID", "Bad request",
                    "Idempotency-Key must be 1-64 visible ASCII characters",
                    List.of(new io.hemolink.common.problem.Problem.FieldError(HEADER, "1-64 visible ASCII characters")));
        }
        String scope = caller.actor() + " " + operation;
        String hash = sha256(canonicalJson(request));
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, scope + "\n" + key)
                .getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> found = em.createNativeQuery(
                        "select request_hash, status, response_body, location from idempotency_record where scope = ?1 and idem_key = ?2")
                .setParameter(1, scope)
                .setParameter(2, key)
                .getResultList();
        if (!found.isEmpty()) {
            Object[] row = found.get(0);
            if (!hash.equals(row[0])) {
                throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED", "Unprocessable request",
                        "this Idempotency-Key was used with a different request body");
            }
            Response.ResponseBuilder replay = Response.status(((Number) row[1]).intValue())
                    .header(REPLAYED_HEADER, "true");
            if (row[2] != null) {
                replay.entity(row[2]).type(MediaType.APPLICATION_JSON_TYPE);
            }
            if (row[3] != null) {
                replay.location(URI.create((String) row[3]));
            }
            return replay.build();
        }
        Response response = action.get();
        if (response.getStatus() >= 200 && response.getStatus() < 300) {
            String body = response.hasEntity() ? json(response.getEntity()) : null;
            em.createNativeQuery("insert into idempotency_record (scope, idem_key, request_hash, status, response_body, location)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, scope)
                    .setParameter(2, key)
                    .setParameter(3, hash)
                    .setParameter(4, response.getStatus())
                    .setParameter(5, body)
                    .setParameter(6, response.getLocation() == null ? null : response.getLocation().toString())
                    .executeUpdate();
        }
        return response;
    }

    private String canonicalJson(Object request) {
        try {
            return mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request cannot be written as JSON", e);
        }
    }

    private String json(Object entity) {
        if (entity instanceof String s) {
            return s;
        }
        try {
            return mapper.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response cannot be written as JSON", e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

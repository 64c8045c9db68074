package io.hemolink.common.testapp;

import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A small resource that exercises the common runtime the way a service does. */
@Path("/things")
@RolesAllowed({"station-dispatcher", "hospital-transfusion"})
public class ThingResource {

    public enum Abo { O, A, B, AB }

    public record NewThing(@NotBlank String locationId, @NotBlank String name, @NotNull Abo abo,
                           @NotNull @Positive Integer quantity) {
    }

    /** A small object a thing may carry. */
    public record Label(String text, Instant printedAt) {
    }

    /** {@code checkedAt}, {@code grade} and {@code label} are never set: nullable references, as the contract must say. */
    public record Thing(UUID id, String locationId, String name, @Schema(nullable = true) Instant checkedAt,
                        @Schema(nullable = true) Abo grade, @Schema(nullable = true) Label label) {
        Thing(UUID id, String locationId, String name) {
            this(id, locationId, name, null, null, null);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = Thing.class, responseCode = "201", responseDescription = "The thing")
    public Response create(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull NewThing body) {
        caller.requireOwnLocation(body.locationId());
        return idempotency.run(key, "POST /things", body, () -> {
            UUID id = UUID.randomUUID();
            insert(id, body);
            outbox.publish(ThingEvents.THING_HAPPENED, id.toString(), "thing/" + id,
                    new ThingEvents.ThingHappened(id.toString(), 0, body.name()));
            return Response.created(URI.create("/api/v1/things/" + id)).entity(new Thing(id, body.locationId(), body.name())).build();
        });
    }

    /**
     * Commits a thing and its event, then, before answering, reads what the audit trail holds for this very call:
     * the entry must already be there, committed with the change.
     */
    @POST
    @Path("/committed")
    public java.util.Map<String, Object> createThenLookAtTheTrail(@HeaderParam("X-Request-Id") String requestId,
                                                                 @Valid @NotNull NewThing body) {
        UUID id = UUID.randomUUID();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            insert(id, body);
            outbox.publish(ThingEvents.THING_HAPPENED, id.toString(), "thing/" + id,
                    new ThingEvents.ThingHappened(id.toString(), 0, body.name()));
        });
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select status, changes from audit_entry where request_id = ?1")
                        .setParameter(1, requestId).getResultList());
        return java.util.Map.of("id", id.toString(), "entries", rows.size(),
                "statusBeforeAnswer", rows.isEmpty() || rows.get(0)[0] == null ? "none" : rows.get(0)[0],
                "changesBeforeAnswer", rows.isEmpty() ? "" : rows.get(0)[1]);
    }

    /** Writes a thing and its event, then fails: neither may survive. */
    @POST
    @Path("/failing")
    @Transactional
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = Thing.class, responseCode = "201", responseDescription = "Never: the thing is refused")
    @APIResponse(responseCode = "409", description = "THING_REFUSED: always, after writing")
    public Response createThenFail(@Valid @NotNull NewThing body) {
        UUID id = UUID.randomUUID();
        insert(id, body);
        outbox.publish(ThingEvents.THING_HAPPENED, id.toString(), "thing/" + id,
                new ThingEvents.ThingHappened(id.toString(), 0, body.name()));
        throw ApiException.conflict("THING_REFUSED", "refused after writing " + id);
    }

    /** A note on a thing: the body is optional, as {@code POST /orders/{id}/cancel}'s is. */
    public record Note(@jakarta.validation.constraints.Size(max = 50) String reason) {
    }

    @POST
    @Path("/{id}/notes")
    public java.util.Map<String, String> note(@PathParam("id") UUID id, @Valid Note body) {
        return java.util.Map.of("reason", body == null || body.reason() == null ? "none" : body.reason());
    }

    /** How many things a location has, read with a native query (a query parameter reaching SQL). */
    @GET
    @Transactional
    public java.util.Map<String, Object> count(@jakarta.ws.rs.QueryParam("name") String name) {
        Object n = em.createNativeQuery("select count(*) from thing where name = ?1").setParameter(1, name)
                .getSingleResult();
        return java.util.Map.of("count", ((Number) n).longValue());
    }

    @GET
    @Path("/{id}")
    @Transactional
    public Thing get(@PathParam("id") UUID id) {
        Object[] row;
        try {
            row = (Object[]) em.createNativeQuery("select id, location_id, name from thing where id = ?1")
                    .setParameter(1, id).getSingleResult();
        } catch (jakarta.persistence.NoResultException e) {
            throw ApiException.notFound("thing " + id);
        }
        caller.requireAccessTo((String) row[1], "thing " + id);
        return new Thing(id, (String) row[1], (String) row[2]);
    }

    /** Answers a status its operation does not list: the contract validation must fail the call. */
    @GET
    @Path("/{id}/teapot")
    public Response teapot(@PathParam("id") UUID id) {
        return Response.status(418).type("application/problem+json")
                .entity(Map.of("type", "about:blank", "title", "teapot", "status", 418, "code", "TEAPOT")).build();
    }

    /** Answers a body its schema does not allow (an id that is not a string): the contract validation must fail it. */
    @GET
    @Path("/{id}/misshapen")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = Thing.class, responseCode = "200", responseDescription = "The thing")
    public Response misshapen(@PathParam("id") UUID id) {
        return Response.ok(Map.of("id", 5, "locationId", "H001", "name", "n")).type("application/json").build();
    }

    private void insert(UUID id, NewThing body) {
        em.createNativeQuery("insert into thing (id, location_id, name, kind) values (?1, ?2, ?3, ?4)")
                .setParameter(1, id).setParameter(2, body.locationId()).setParameter(3, body.name())
                .setParameter(4, body.abo().name()).executeUpdate();
    }
}

package io.hemolink.order.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.inventory.ReturnDecided;
import io.hemolink.contracts.security.Roles;
import io.hemolink.order.config.OrderConfig;
import io.hemolink.order.domain.Location;
import io.hemolink.order.domain.Returns;
import io.hemolink.order.domain.UnitReturn;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;

/**
 * Returns (退血): the hospital states the evidence, the inventory decides. {@code POST /returns} waits a short,
 * configured time for the decision: 201 with it, or 202 {@code PENDING} to be read later at {@code GET /returns/{id}}.
 */
@Path("/returns")
public class ReturnResource {

    public record ReturnRequest(@NotBlank @Size(max = 20) String din, @NotNull Component component,
                                @NotNull Boolean sealIntact, @NotNull Boolean segmentAttached,
                                @NotNull @PositiveOrZero @Max(100000) Integer minutesOutOfStorage,
                                @NotBlank @Size(max = 500) String reason) {
    }

    /** {@code reason} is the decision's reason; {@code returnReason} the hospital's. */
    public record ReturnView(String returnId, String status, @Schema(nullable = true) ReturnDecided.Decision decision,
                             @Schema(nullable = true) String reason, String din, Component component, String locationId,
                             boolean sealIntact, boolean segmentAttached, int minutesOutOfStorage, String returnReason,
                             Instant requestedAt, @Schema(nullable = true) Instant decidedAt) {

        static ReturnView of(UnitReturn r) {
            return new ReturnView(r.id, r.decision == null ? "PENDING" : "DECIDED", r.decision, r.decisionReason, r.din,
                    r.component, r.locationId, r.sealIntact, r.segmentAttached, r.minutesOutOfStorage, r.reason,
                    r.requestedAt, r.decidedAt);
        }
    }

    @Inject
    Returns returns;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    OrderConfig config;

    @Inject
    ObjectMapper mapper;

    @POST
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    @APIResponse(responseCode = "201", description = "Decided: decision and reason",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "202", description = "Not decided yet (status PENDING): read GET /returns/{id} later",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, DIN_INVALID, LOCATION_UNKNOWN, IDEMPOTENCY_KEY_REUSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response request(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull ReturnRequest body) {
        String location = caller.locationId();
        if (location == null) {
            throw ApiException.forbidden("the token names no location to return from");
        }
        String din = OrderResource.canonicalDin(body.din(), "din");
        Response stored = idempotency.run(key, "POST /returns", body, () -> {
            if (Location.findById(location) == null) {
                throw ApiException.unprocessable("LOCATION_UNKNOWN", "location " + location + " is not registered");
            }
            UnitReturn r = returns.request(location, new Returns.Request(din, body.component(), body.sealIntact(),
                    body.segmentAttached(), body.minutesOutOfStorage(), body.reason().strip()), caller.actor(), Instant.now());
            return Response.accepted(ReturnView.of(r)).location(URI.create("/api/v1/returns/" + r.id)).build();
        });
        // committed: the request is on its way to the inventory; wait briefly for its decision
        UnitReturn r = returns.await(returnId(stored), config.returns().decisionWait());
        return respond(r);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    public ReturnView get(@PathParam("id") String id) {
        UnitReturn r = UnitReturn.findById(id);
        if (r == null) {
            throw ApiException.notFound("return " + id);
        }
        caller.requireAccessTo(r.locationId, "return " + id);
        return ReturnView.of(r);
    }

    private static Response respond(UnitReturn r) {
        Response.ResponseBuilder b = r.decision == null ? Response.accepted() : Response.status(Response.Status.CREATED);
        return b.entity(ReturnView.of(r)).location(URI.create("/api/v1/returns/" + r.id)).build();
    }

    private String returnId(Response stored) {
        Object entity = stored.getEntity();
        if (entity instanceof ReturnView view) {
            return view.returnId();
        }
        try {
            return mapper.readTree(entity.toString()).path("returnId").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("recorded return response cannot be read", e);
        }
    }
}

package io.hemolink.inventory.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.security.Roles;
import io.hemolink.inventory.domain.Recalls;
import io.hemolink.inventory.domain.UnitRelease;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Recalls (api.md Additions, "Recall (lookback)"): station QA recalls a donation; the station sees every recall and
 * unit, a holder only the recalls that name its units and only its own units in them, and acknowledges them.
 */
@Path("/recalls")
public class RecallResource {

    /** {@code POST /recalls}. */
    public record NewRecall(@NotBlank @Size(max = 20) String din, @Size(max = 10) List<@NotNull Component> components,
                            @NotBlank @Size(max = 500) String reason) {
    }

    /** {@code POST /recalls/{id}/acknowledgements}. */
    public record Acknowledgement(@NotBlank @Size(max = 20) String din, @NotNull Component component,
                                  @Size(max = 6) String division) {
    }

    public record RecallUnitView(String din, Component component, @Schema(nullable = true) String division,
                                 String locationId, UnitStatus statusBefore, UnitStatus status,
                                 @Schema(nullable = true) String patientRef,
                                 @Schema(nullable = true) Instant acknowledgedAt,
                                 @Schema(nullable = true) String acknowledgedBy) {
    }

    public record RecallView(UUID id, String din, String reason, Instant createdAt, String createdBy,
                             List<RecallUnitView> units) {
        static RecallView of(Recalls.Recall r) {
            return new RecallView(r.id(), r.din(), r.reason(), r.createdAt(), r.createdBy(), r.units().stream()
                    .map(u -> new RecallUnitView(u.din(), u.component(), u.division(), u.locationId(), u.statusBefore(),
                            u.status(), u.patientRef(), u.acknowledgedAt(), u.acknowledgedBy())).toList());
        }
    }

    public record RecallPage(List<RecallView> items, @Schema(nullable = true) String nextCursor) {
    }

    @Inject
    Recalls recalls;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @POST
    @RolesAllowed(Roles.STATION_QA)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = RecallView.class, responseCode = "201",
            responseDescription = "The recall: every unit of the donation, the active ones quarantined")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no unit of that donation (or of the components named)")
    public Response recall(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull NewRecall body) {
        String din = UnitRelease.parseDin(body.din()).canonical();
        return idempotency.run(key, "POST /recalls", body, () -> {
            Recalls.Recall r = recalls.issue(din, body.components(), body.reason().strip(), caller.actor(), Instant.now());
            return Response.created(URI.create("/api/v1/recalls/" + r.id())).entity(RecallView.of(r)).build();
        });
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public RecallPage list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        List<Recalls.Recall> page = recalls.list(holder(), Lists.seqPosition(cursor), n);
        String next = page.size() > n ? Lists.cursor(String.valueOf(page.get(n - 1).seq())) : null;
        return new RecallPage(page.stream().limit(n).map(RecallView::of).toList(), next);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public RecallView get(@PathParam("id") String id) {
        UUID recallId = parse(id);
        return recalls.find(recallId, holder()).map(RecallView::of)
                .orElseThrow(() -> ApiException.notFound("recall " + id));
    }

    @POST
    @Path("/{id}/acknowledgements")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = RecallView.class, responseCode = "200",
            responseDescription = "The recall as the holder sees it, with the acknowledgement")
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public Response acknowledge(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                                @Valid @NotNull Acknowledgement body) {
        UUID recallId = parse(id);
        String din = UnitRelease.parseDin(body.din()).canonical();
        // the holder acknowledges its own units; the station those it held itself
        String holder = caller.isStation() ? io.hemolink.contracts.blood.LocationId.STATION : caller.locationId();
        return idempotency.run(key, "POST /recalls/" + recallId + "/acknowledgements", body, () -> Response.ok(
                RecallView.of(recalls.acknowledge(recallId, din, body.component(),
                        body.division() == null ? null : body.division().strip(), holder, caller.actor(), Instant.now())))
                .build());
    }

    /** Whose units the caller sees: null for the station (every unit), else its own location. */
    private String holder() {
        return caller.isStation() ? null : caller.locationId() == null ? "-" : caller.locationId();
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("recall " + id);
        }
    }
}

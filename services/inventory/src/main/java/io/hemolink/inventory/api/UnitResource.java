package io.hemolink.inventory.api;

import io.hemolink.common.api.QueryParams;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.security.Roles;
import io.hemolink.inventory.domain.Unit;
import io.hemolink.inventory.domain.UnitFates;
import io.hemolink.inventory.domain.UnitMovement;
import io.hemolink.inventory.domain.UnitRelease;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.net.URI;
import java.util.List;

/** Units: release into stock, and what happened to every bag (api.md, Inventory). */
@Path("/units")
public class UnitResource {

    @Inject
    UnitRelease release;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    UnitFates fates;

    @POST
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = UnitDtos.UnitView.class, responseCode = "201", responseDescription = "The unit, in stock")
    @APIResponse(responseCode = "409", description = "UNIT_EXISTS: the same DIN, component and division is in stock")
    public Response release(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull UnitDtos.NewUnit body) {
        return idempotency.run(key, "POST /units", body, () -> {
            Unit unit = release.release(new UnitRelease.Request(body.din(), body.component(), body.division(), body.abo(),
                    body.rhd(), body.volumeMl(), body.quantity(), body.collectedAt(), body.expiresAt(), body.locationId(),
                    body.attributes()), caller.actor());
            return Response.created(URI.create("/api/v1/units/" + unit.din + "/" + unit.component))
                    .entity(UnitDtos.UnitView.of(unit)).build();
        });
    }

    @GET
    @Path("/{din}")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public UnitDtos.Donation donation(@PathParam("din") String din) {
        String canonical = UnitRelease.parseDin(din).canonical();
        List<UnitDtos.UnitView> visible = Unit.ofDonation(canonical).stream()
                .filter(u -> caller.canAccess(u.locationId))
                .map(UnitDtos.UnitView::of)
                .toList();
        if (visible.isEmpty()) {
            throw ApiException.notFound("donation " + canonical);
        }
        return new UnitDtos.Donation(canonical, visible);
    }

    @GET
    @Path("/{din}/{component}")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    public UnitDtos.UnitView unit(@PathParam("din") String din, @PathParam("component") String component,
                                  @QueryParam("division") String division) {
        String canonical = UnitRelease.parseDin(din).canonical();
        Component c = parseComponent(component);
        // every division of a split unit can be traced: ?division= names one (without it, the first visible)
        Unit unit = Unit.find(canonical, c).stream()
                .filter(u -> division == null || u.division.equalsIgnoreCase(division.strip()))
                .filter(u -> caller.canAccess(u.locationId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("unit " + canonical + " " + c
                        + (division == null ? "" : " division " + division)));
        return UnitDtos.UnitView.of(unit, UnitMovement.history(unit.id).stream().map(UnitDtos.HistoryEntry::of).toList());
    }

    @POST
    @Path("/{din}/{component}/events")
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION,
            Roles.STORAGE_POINT_OPERATOR})
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = UnitDtos.UnitView.class, responseCode = "201",
            responseDescription = "The unit with its history, the fate recorded")
    @APIResponse(responseCode = "409", description = "UNIT_FINAL, INVALID_TRANSITION or CONCURRENT_UPDATE: the unit's "
            + "state does not allow it")
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE (an unknown type or reasonCode), "
            + "REASON_CODE_REQUIRED (a discard without reasonCode), REASON_REQUIRED (a quarantine without reason, a discard "
            + "coded OTHER without one), REASON_CODE_NOT_APPLICABLE, PATIENT_REF_REQUIRED, PATIENT_REF_IS_ID_NUMBER, "
            + "OCCURRED_IN_FUTURE, EXPIRED, DIVISION_REQUIRED, ATTRIBUTE_NOT_APPLICABLE",
            content = @Content(mediaType = io.hemolink.common.problem.Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = io.hemolink.common.problem.Problem.class)))
    public Response recordFate(@HeaderParam(Idempotency.HEADER) String key, @PathParam("din") String din,
                               @PathParam("component") String component, @QueryParam("division") String division,
                               @Valid @NotNull UnitDtos.FateRequest body) {
        String canonical = UnitRelease.parseDin(din).canonical();
        Component c = parseComponent(component);
        return idempotency.run(key, "POST /units/" + canonical + "/" + c + "/events", body, () -> {
            Unit unit = held(canonical, c, division);
            UnitMovement m = body.type() == UnitFates.Fate.IRRADIATED
                    ? fates.irradiate(unit, body.occurredAt(), caller.actor(), caller.isStation())
                    : fates.record(unit, body.type(), body.reason(), body.reasonCode(), body.patientRef(), body.occurredAt(),
                    caller.actor(), caller.hasRole(Roles.STATION_QA));
            return Response.status(Response.Status.CREATED)
                    .entity(UnitDtos.UnitView.of(unit, UnitMovement.history(m.unitId).stream()
                            .map(UnitDtos.HistoryEntry::of).toList()))
                    .build();
        });
    }

    /** The unit the caller holds (or any, for the station), locked for the change; 404 when it may not see it. */
    private Unit held(String din, Component c, String division) {
        List<Unit> candidates = Unit.findForUpdate(din, c).stream()
                .filter(u -> division == null || u.division.equalsIgnoreCase(division))
                .filter(u -> caller.canAccess(u.locationId))
                .toList();
        if (candidates.isEmpty()) {
            throw ApiException.notFound("unit " + din + " " + c);
        }
        if (candidates.size() > 1) {
            throw ApiException.unprocessable("DIVISION_REQUIRED",
                    "this donation has several divisions of " + c + "; name one with ?division=", "division");
        }
        return candidates.get(0);
    }

    static Component parseComponent(String text) {
        return QueryParams.enumValue(Component.class, text, "component");
    }
}

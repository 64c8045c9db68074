package io.hemolink.storagepoint.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.api.QueryParams;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.isbt.InvalidDinException;
import io.hemolink.contracts.security.Roles;
import io.hemolink.storagepoint.domain.Issues;
import io.hemolink.storagepoint.domain.Quarantine;
import io.hemolink.storagepoint.domain.Registry;
import io.hemolink.storagepoint.domain.SensorReadings;
import io.hemolink.storagepoint.domain.StoragePoint;
import io.hemolink.storagepoint.domain.TemperatureMonitor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Storage points: registry, temperature, excursions and alerts, quarantine decisions, issues (api.md). */
@Path("/storage-points")
public class StoragePointResource {

    @Inject
    Caller caller;

    @Inject
    Idempotency idempotency;

    @Inject
    Registry registry;

    @Inject
    SensorReadings readings;

    @Inject
    Quarantine quarantine;

    @Inject
    Issues issues;

    @Inject
    StoragePointViews views;

    @POST
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @APIResponse(responseCode = "201", description = "The storage point with its equipment and par levels",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.StoragePointView.class)))
    @APIResponse(responseCode = "409", description = "STORAGE_POINT_EXISTS, EQUIPMENT_EXISTS",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE, EQUIPMENT_DUPLICATED, PAR_LEVEL_DUPLICATED, PAR_LEVEL_INVALID, IDEMPOTENCY_KEY_REUSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response register(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull Dtos.NewStoragePoint body) {
        List<Dtos.NewParLevel> par = body.parLevels() == null ? List.of() : body.parLevels();
        long distinctEquipment = body.equipment().stream().map(Dtos.NewEquipment::id).distinct().count();
        if (distinctEquipment != body.equipment().size()) {
            throw ApiException.unprocessable("EQUIPMENT_DUPLICATED", "an equipment id is given twice", "equipment");
        }
        List<Registry.NewPar> parLevels = parLevels(par);
        return idempotency.run(key, "POST /storage-points", body, () -> {
            Instant now = Instant.now();
            StoragePoint p = registry.register(body.id(), body.name().strip(), body.hostHospitalId(),
                    body.equipment().stream().map(e -> new Registry.NewEquipment(e.id(), e.kind())).toList(),
                    parLevels, now);
            return Response.created(URI.create("/api/v1/storage-points/" + p.id)).entity(views.view(p, now)).build();
        });
    }

    @PUT
    @Path("/{id}/par-levels")
    @Transactional
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @APIResponse(responseCode = "200", description = "The storage point with its new par levels; a line now below its min has asked for stock",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.StoragePointView.class)))
    @APIResponse(responseCode = "404", description = "No such storage point",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE, PAR_LEVEL_DUPLICATED, PAR_LEVEL_INVALID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Dtos.StoragePointView replaceParLevels(@PathParam("id") String id, @Valid @NotNull Dtos.ParLevels body) {
        Instant now = Instant.now();
        return views.view(registry.replaceParLevels(id, parLevels(body.parLevels()), now), now);
    }

    /** Par levels as given, once per component and group, target not below min. */
    private static List<Registry.NewPar> parLevels(List<Dtos.NewParLevel> par) {
        if (par.stream().map(p -> p.component() + "|" + p.abo() + "|" + p.rhd()).distinct().count() != par.size()) {
            throw ApiException.unprocessable("PAR_LEVEL_DUPLICATED", "a component and group has two par levels", "parLevels");
        }
        for (int i = 0; i < par.size(); i++) {
            if (par.get(i).target() < par.get(i).min()) {
                throw ApiException.unprocessable("PAR_LEVEL_INVALID", "target must not be below min",
                        "parLevels[" + i + "].target");
            }
        }
        return par.stream().map(l -> new Registry.NewPar(l.component(), l.abo(), l.rhd(), l.min(), l.target())).toList();
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.STORAGE_POINT_OPERATOR})
    public Dtos.Page<Dtos.StoragePointView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        String after = Lists.position(cursor);
        List<StoragePoint> points = caller.isStation()
                ? StoragePoint.<StoragePoint>find("id > ?1 order by id", after == null ? "" : after).page(0, n + 1).list()
                : StoragePoint.byId(caller.locationId()).filter(p -> after == null || p.id.compareTo(after) > 0)
                        .map(List::of).orElse(List.of());
        Instant now = Instant.now();
        List<Dtos.StoragePointView> items = points.stream().limit(n).map(p -> views.view(p, now)).toList();
        return new Dtos.Page<>(items, points.size() > n ? Lists.cursor(items.get(items.size() - 1).id()) : null);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.STORAGE_POINT_OPERATOR})
    public Dtos.StoragePointView get(@PathParam("id") String id) {
        return views.view(visible(id), Instant.now());
    }

    @POST
    @Path("/{id}/temperature-readings")
    @RolesAllowed(Roles.STORAGE_POINT_OPERATOR)
    @APIResponse(responseCode = "202", description = "Readings stored (duplicates of equipment and time change nothing) and the excursions they started",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.ReadingsAccepted.class)))
    @APIResponse(responseCode = "404", description = "No such storage point, or not the caller's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE, READING_INVALID (not the point's equipment, in the future, implausible): nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response readings(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                             @Valid @NotNull Dtos.Readings body) {
        return idempotency.run(key, "POST /storage-points/" + id + "/temperature-readings", body, () -> {
            visible(id);
            TemperatureMonitor.Outcome outcome = readings.fromApi(id, body.readings().stream()
                    .map(r -> new TemperatureMonitor.Reading(r.equipmentId(), r.at(), r.celsius())).toList(), Instant.now());
            return Response.accepted(new Dtos.ReadingsAccepted(outcome.received(), outcome.stored(),
                    outcome.received() - outcome.stored(), outcome.excursions())).build();
        });
    }

    @GET
    @Path("/{id}/excursions")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.STORAGE_POINT_OPERATOR})
    public Dtos.Page<Dtos.ExcursionView> excursions(@PathParam("id") String id, @QueryParam("limit") Integer limit,
                                                    @QueryParam("cursor") String cursor) {
        visible(id);
        return views.excursions(id, Lists.limit(limit), StoragePointViews.offset(cursor));
    }

    @GET
    @Path("/{id}/alerts")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.STORAGE_POINT_OPERATOR})
    public Dtos.Page<Dtos.AlertView> alerts(@PathParam("id") String id,
                                            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("active") String active,
                                            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        visible(id);
        return views.alerts(id, Boolean.TRUE.equals(QueryParams.bool(active, "active")), Lists.limit(limit),
                StoragePointViews.offset(cursor));
    }

    @POST
    @Path("/{id}/quarantine-decisions")
    @RolesAllowed(Roles.STATION_QA)
    @APIResponse(responseCode = "201", description = "The decision; QuarantineDecided is published",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.DecisionMade.class)))
    @APIResponse(responseCode = "403", description = "FORBIDDEN: station QA only",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "NOT_QUARANTINED, UNIT_DUPLICATED, DIN_INVALID, VALIDATION_FAILED, INVALID_VALUE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response decide(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                           @Valid @NotNull Dtos.Decision body) {
        List<Quarantine.Key> keys = body.units().stream()
                .map(u -> new Quarantine.Key(canonical(u.din()), u.component())).toList();
        if (keys.stream().distinct().count() != keys.size()) {
            throw ApiException.unprocessable("UNIT_DUPLICATED", "a unit is named twice", "units");
        }
        return idempotency.run(key, "POST /storage-points/" + id + "/quarantine-decisions", body, () -> {
            visible(id);
            Instant now = Instant.now();
            UUID decision = quarantine.decide(id, keys, body.decision(), caller.actor(), now);
            return Response.status(Response.Status.CREATED).entity(new Dtos.DecisionMade(decision, id, body.decision(),
                    keys.stream().map(k -> new Dtos.UnitKeyView(k.din(), k.component())).toList(), caller.actor(), now))
                    .build();
        });
    }

    @POST
    @Path("/{id}/issues")
    @RolesAllowed(Roles.STORAGE_POINT_OPERATOR)
    @APIResponse(responseCode = "201", description = "The issue; UnitIssued is published",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Dtos.IssueView.class)))
    @APIResponse(responseCode = "404", description = "No such unit at the point (or not the caller's point)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "EXPIRED, QUARANTINED, INCOMPATIBLE, REQUIREMENT_NOT_MET, ANTIGEN_UNKNOWN, REQUIREMENT_NOT_APPLICABLE, EXPIRY_UNKNOWN, PATIENT_REF_IS_ID_NUMBER, DIN_INVALID, VALIDATION_FAILED, INVALID_VALUE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response issue(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                          @Valid @NotNull Dtos.NewIssue body) {
        String din = canonical(body.din());
        return idempotency.run(key, "POST /storage-points/" + id + "/issues", body, () -> {
            visible(id);
            Issues.Issued i = issues.issue(id, din, body.component(), body.patientRef(), body.patientAbo(),
                    body.patientRhd(), body.requirements(), caller.actor(), Instant.now());
            return Response.created(URI.create("/api/v1/storage-points/" + id + "/issues/" + i.issueId()))
                    .entity(new Dtos.IssueView(i.issueId(), id, i.din(), i.component(), i.abo(), i.rhd(), i.quantity(),
                            i.expiresAt(), i.equipmentId(), i.patientAbo(), i.patientRhd(), i.compatibilityTable(),
                            i.actor(), i.at()))
                    .build();
        });
    }

    /** The point when the caller may see it; 404 otherwise (another point's operator learns nothing). */
    private StoragePoint visible(String id) {
        if (!LocationId.isStoragePoint(id)) {
            throw ApiException.notFound("storage point " + id);
        }
        caller.requireAccessTo(id, "storage point " + id);
        return StoragePoint.byId(id).orElseThrow(() -> ApiException.notFound("storage point " + id));
    }

    static String canonical(String din) {
        try {
            return Din.parse(din).canonical();
        } catch (InvalidDinException e) {
            throw ApiException.unprocessable("DIN_INVALID", e.getMessage(), "din");
        }
    }
}

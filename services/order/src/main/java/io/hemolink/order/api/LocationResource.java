package io.hemolink.order.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.order.DemandForecastUpdated;
import io.hemolink.contracts.security.Roles;
import io.hemolink.order.domain.Demand;
import io.hemolink.order.domain.HospitalStock;
import io.hemolink.order.domain.Location;
import io.quarkus.security.Authenticated;
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
import java.time.LocalDate;
import java.util.List;

/**
 * The locations registry (the order service owns it): the station, hospitals and storage points that may order,
 * and each location's demand forecast.
 */
@Path("/locations")
public class LocationResource {

    public record LocationView(String id, String name, Location.Kind kind, @Schema(nullable = true) String hostHospitalId,
                               @Schema(nullable = true) Instant updatedAt) {

        static LocationView of(Location l) {
            return new LocationView(l.id, l.name, l.kind, l.hostHospitalId, l.updatedAt);
        }
    }

    public record LocationList(List<LocationView> items, @Schema(nullable = true) String nextCursor) {
    }

    /** {@code PUT /locations/{id}}: creates or updates; a storage point names its host hospital. */
    public record LocationUpsert(@NotBlank @Size(max = 200) String name, @NotNull Location.Kind kind,
                                 @Size(max = 10) String hostHospitalId) {
    }

    public record DemandDay(@NotNull LocalDate date, @NotNull Component component, @NotNull Abo abo, @NotNull RhD rhd,
                            @NotNull @PositiveOrZero @Max(100000) Integer quantity) {
    }

    /** {@code PUT /locations/{id}/demand}: the whole per-day forecast, replacing the previous one. */
    public record DemandRequest(@NotNull @Size(max = 5000) List<@Valid @NotNull DemandDay> days) {
    }

    public record DemandView(String locationId, List<DemandForecastUpdated.Day> days,
                             @Schema(nullable = true) Instant updatedAt) {
    }

    /** {@code PUT /locations/{id}/par-levels}: a hospital's par levels as a whole, and whether it orders by itself. */
    public record ParLevelsRequest(@NotNull @Size(max = 200) List<@Valid @NotNull ParLevelLine> levels, Boolean autoOrder) {
    }

    public record ParLevelLine(@NotNull Component component, @NotNull Abo abo, @NotNull RhD rhd,
                               @NotNull @PositiveOrZero @Max(100000) Integer min,
                               @NotNull @PositiveOrZero @Max(100000) Integer target) {
    }

    public record ParLevelsView(String locationId, List<ParLevelLine> levels, boolean autoOrder,
                                @Schema(nullable = true) Instant updatedAt, @Schema(nullable = true) String updatedBy) {

        static ParLevelsView of(HospitalStock.Levels l) {
            return new ParLevelsView(l.locationId(), l.levels().stream().map(x -> new ParLevelLine(x.component(), x.abo(),
                    x.rhd(), x.min(), x.target())).toList(), l.autoOrder(), l.updatedAt(), l.updatedBy());
        }
    }

    public record SuggestedLine(Component component, Abo abo, RhD rhd, int quantity, int onHand, int inTransit,
                                int openOrders, int forecast, int target, int min) {
    }

    public record SuggestedOrder(String locationId, Instant asOf, List<SuggestedLine> lines) {
    }

    @Inject
    Caller caller;

    @Inject
    HospitalStock hospitalStock;

    @Inject
    Demand demand;

    @GET
    @Transactional
    @Authenticated
    public LocationList list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        List<Location> page = Location.page(Lists.position(cursor), n + 1);
        boolean more = page.size() > n;
        List<Location> items = more ? page.subList(0, n) : page;
        return new LocationList(items.stream().map(LocationView::of).toList(),
                more ? Lists.cursor(items.get(n - 1).id) : null);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Authenticated
    public LocationView get(@PathParam("id") String id) {
        Location l = Location.findById(id);
        if (l == null) {
            throw ApiException.notFound("location " + id);
        }
        return LocationView.of(l);
    }

    @PUT
    @Path("/{id}")
    @Transactional
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @APIResponse(responseCode = "200", description = "Updated",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = LocationView.class)))
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = LocationView.class)))
    @APIResponse(responseCode = "422", description = "LOCATION_ID_INVALID, LOCATION_KIND_MISMATCH, HOST_HOSPITAL_REQUIRED, HOST_HOSPITAL_UNKNOWN, HOST_HOSPITAL_NOT_ALLOWED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response put(@PathParam("id") String id, @Valid @NotNull LocationUpsert body) {
        Location.Kind expected = LocationId.isStation(id) ? Location.Kind.STATION
                : LocationId.isHospital(id) ? Location.Kind.HOSPITAL
                : LocationId.isStoragePoint(id) ? Location.Kind.STORAGE_POINT : null;
        if (expected == null) {
            throw ApiException.unprocessable("LOCATION_ID_INVALID",
                    "a location id is STATION, a hospital H001... or a storage point SP01...", "id");
        }
        if (body.kind() != expected) {
            throw ApiException.unprocessable("LOCATION_KIND_MISMATCH", id + " is a " + expected + ", not a " + body.kind(),
                    "kind");
        }
        String host = body.hostHospitalId() == null || body.hostHospitalId().isBlank() ? null : body.hostHospitalId();
        if (expected == Location.Kind.STORAGE_POINT) {
            if (host == null) {
                throw ApiException.unprocessable("HOST_HOSPITAL_REQUIRED", "a storage point names its host hospital",
                        "hostHospitalId");
            }
            Location hostLocation = Location.findById(host);
            if (hostLocation == null || hostLocation.kind != Location.Kind.HOSPITAL) {
                throw ApiException.unprocessable("HOST_HOSPITAL_UNKNOWN", host + " is not a registered hospital",
                        "hostHospitalId");
            }
        } else if (host != null) {
            throw ApiException.unprocessable("HOST_HOSPITAL_NOT_ALLOWED", "only a storage point has a host hospital",
                    "hostHospitalId");
        }
        Instant now = Instant.now();
        Location l = Location.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        boolean created = l == null;
        if (created) {
            l = new Location();
            l.id = id;
            l.createdAt = now;
        }
        l.name = body.name().strip();
        l.kind = expected;
        l.hostHospitalId = host;
        l.updatedAt = now;
        if (created) {
            l.persist();
            return Response.created(URI.create("/api/v1/locations/" + id)).entity(LocationView.of(l)).build();
        }
        return Response.ok(LocationView.of(l)).build();
    }

    @PUT
    @Path("/{id}/demand")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    @APIResponse(responseCode = "403", description = "LOCATION_NOT_YOURS",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE, DATE_IN_PAST, DATE_TOO_FAR, DAY_DUPLICATE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The stored forecast, replacing the previous one",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DemandView.class)))
    public DemandView putDemand(@PathParam("id") String id, @Valid @NotNull DemandRequest body) {
        Location l = ownLocation(id);
        DemandForecastUpdated updated = demand.replace(l.id, body.days().stream().map(d -> new DemandForecastUpdated.Day(
                d.date(), d.component(), d.abo(), d.rhd(), d.quantity())).toList(), caller.actor(), Instant.now());
        return new DemandView(l.id, updated.days(), updated.at());
    }

    @GET
    @Path("/{id}/demand")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    public DemandView getDemand(@PathParam("id") String id) {
        requireVisible(id);
        Instant now = Instant.now();
        return new DemandView(id, demand.of(id, now), null);
    }

    @PUT
    @Path("/{id}/par-levels")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER})
    @APIResponse(responseCode = "403", description = "LOCATION_NOT_YOURS",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, PAR_LEVEL_INVALID, PAR_LEVEL_DUPLICATED, NOT_A_HOSPITAL",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The par levels, replacing the previous ones",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ParLevelsView.class)))
    public ParLevelsView putParLevels(@PathParam("id") String id, @Valid @NotNull ParLevelsRequest body) {
        Location l = ownLocation(id);
        return ParLevelsView.of(hospitalStock.replace(l, body.levels().stream().map(x -> new HospitalStock.Level(
                x.component(), x.abo(), x.rhd(), x.min(), x.target())).toList(), Boolean.TRUE.equals(body.autoOrder()),
                caller.actor(), Instant.now()));
    }

    @GET
    @Path("/{id}/par-levels")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    public ParLevelsView getParLevels(@PathParam("id") String id) {
        requireVisible(id);
        return ParLevelsView.of(hospitalStock.levels(id));
    }

    @GET
    @Path("/{id}/suggested-order")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STATION_DISPATCHER, Roles.STATION_QA})
    public SuggestedOrder suggestedOrder(@PathParam("id") String id) {
        requireVisible(id);
        HospitalStock.Suggested s = hospitalStock.suggested(id, Instant.now());
        return new SuggestedOrder(s.locationId(), s.asOf(), s.lines().stream().map(x -> new SuggestedLine(x.component(),
                x.abo(), x.rhd(), x.quantity(), x.onHand(), x.inTransit(), x.openOrders(), x.forecast(), x.target(),
                x.min())).toList());
    }

    /** The location the caller acts for: 403 for another's, 404 when it does not exist. */
    private Location ownLocation(String id) {
        caller.requireOwnLocation(id);
        Location l = Location.findById(id);
        if (l == null) {
            throw ApiException.notFound("location " + id);
        }
        return l;
    }

    /** 404 for a location that does not exist or is another tenant's. */
    private void requireVisible(String id) {
        caller.requireAccessTo(id, "location " + id);
        if (Location.findById(id) == null) {
            throw ApiException.notFound("location " + id);
        }
    }
}

package io.hemolink.order.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.security.Roles;
import io.hemolink.order.config.OrderConfig;
import io.hemolink.order.domain.StandingOrder;
import io.hemolink.order.domain.StandingOrders;
import io.quarkus.panache.common.Parameters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

/** Standing orders: the same order placed on days of the week at a time of day, in the station's zone. */
@Path("/standing-orders")
@RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
public class StandingOrderResource {

    public record NewStandingOrder(@NotBlank @Size(max = 10) String locationId,
                                   @NotNull @Size(min = 1, max = 7) Set<@NotNull DayOfWeek> daysOfWeek,
                                   @NotNull LocalTime timeOfDay,
                                   @NotNull Priority priority,
                                   Boolean allowSubstitution,
                                   @NotNull @Size(min = 1, max = 100) List<OrderDtos.@Valid @NotNull NewLine> lines,
                                   @Size(max = 1000) String notes) {
    }

    /** An occurrence placed: the date (in the station's zone) and the order it became. */
    public record Occurrence(LocalDate date, String orderId) {
    }

    public record StandingOrderView(String id, String locationId, List<DayOfWeek> daysOfWeek, LocalTime timeOfDay,
                                    String zone, Priority priority, boolean allowSubstitution,
                                    List<OrderDtos.NewLine> lines, @Schema(nullable = true) String notes,
                                    Instant createdAt, String createdBy,
                                    boolean active, List<Occurrence> occurrences) {
    }

    public record StandingOrderList(List<StandingOrderView> items, @Schema(nullable = true) String nextCursor) {
    }

    @Inject
    StandingOrders standingOrders;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    OrderConfig config;

    @Inject
    EntityManager em;

    @POST
    @APIResponse(responseCode = "201", description = "The standing order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = StandingOrderView.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE, LOCATION_UNKNOWN, DAYS_REQUIRED, QUANTITY_TOO_LARGE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull NewStandingOrder body) {
        caller.requireOwnLocation(body.locationId());
        return idempotency.run(key, "POST /standing-orders", body, () -> {
            StandingOrder so = standingOrders.create(new StandingOrders.Definition(body.locationId(), body.daysOfWeek(),
                    body.timeOfDay(), body.priority(), body.allowSubstitution(),
                    body.lines().stream().map(OrderDtos.NewLine::toDomain).toList(), body.notes()),
                    caller.actor(), Instant.now());
            return Response.created(URI.create("/api/v1/standing-orders/" + so.id)).entity(view(so)).build();
        });
    }

    @GET
    @Transactional
    public StandingOrderList list(@QueryParam("locationId") String locationId, @QueryParam("limit") Integer limit,
                                  @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        String after = Lists.position(cursor);
        String location = caller.locationFilter(locationId);
        StringBuilder q = new StringBuilder("deletedAt is null");
        Parameters p = new Parameters();
        if (location != null) {
            q.append(" and locationId = :location");
            p.and("location", location);
        }
        if (after != null) {
            q.append(" and id > :after");
            p.and("after", after);
        }
        List<StandingOrder> page = StandingOrder.<StandingOrder>find(q + " order by id", p).page(0, n + 1).list();
        boolean more = page.size() > n;
        List<StandingOrder> items = more ? page.subList(0, n) : page;
        return new StandingOrderList(items.stream().map(this::view).toList(), more ? Lists.cursor(items.get(n - 1).id) : null);
    }

    @GET
    @Path("/{id}")
    @Transactional
    public StandingOrderView get(@PathParam("id") String id) {
        return view(visible(id));
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @APIResponse(responseCode = "204", description = "Deleted: no further occurrences are placed")
    @APIResponse(responseCode = "404", description = "No such standing order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        StandingOrder so = visible(id);
        if (so.deletedAt == null) {
            so.deletedAt = Instant.now();
        }
        return Response.noContent().build();
    }

    private StandingOrder visible(String id) {
        StandingOrder so = StandingOrder.findById(id);
        if (so == null) {
            throw ApiException.notFound("standing order " + id);
        }
        caller.requireAccessTo(so.locationId, "standing order " + id);
        return so;
    }

    private StandingOrderView view(StandingOrder so) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select occurrence_date, order_id from standing_order_occurrence"
                        + " where standing_order_id = ?1 order by occurrence_date desc limit 20")
                .setParameter(1, so.id).getResultList();
        List<Occurrence> occurrences = rows.stream().map(r -> new Occurrence(r[0] instanceof LocalDate d ? d
                : ((java.sql.Date) r[0]).toLocalDate(), (String) r[1])).toList();
        return new StandingOrderView(so.id, so.locationId, so.days().stream().sorted().toList(), so.timeOfDay,
                config.zone().getId(), so.priority, so.allowSubstitution,
                standingOrders.lines(so).stream().map(OrderDtos.NewLine::of).toList(), so.notes, so.createdAt,
                so.createdBy, so.deletedAt == null, occurrences);
    }
}

package io.hemolink.order.api;

import io.hemolink.common.api.EventStreams;
import io.hemolink.common.api.Lists;
import io.hemolink.common.api.QueryParams;
import io.hemolink.common.idempotency.Idempotency;
import io.hemolink.common.problem.ApiException;
import io.hemolink.common.problem.Problem;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.contracts.isbt.InvalidDinException;
import io.hemolink.contracts.security.Roles;
import io.hemolink.order.config.OrderConfig;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.IssueNote;
import io.hemolink.order.domain.Location;
import io.hemolink.order.domain.Orders;
import io.hemolink.order.messaging.LiveOrders;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Orders from submission to receipt (api.md, Orders). */
@Path("/orders")
public class OrderResource {

    @Inject
    Orders orders;

    @Inject
    Idempotency idempotency;

    @Inject
    Caller caller;

    @Inject
    OrderConfig config;

    @Inject
    OrderPlacement placement;

    @Inject
    LiveOrders liveOrders;

    @POST
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    @APIResponse(responseCode = "201", description = "The order, SUBMITTED; allocation follows asynchronously",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderDtos.OrderView.class)))
    @APIResponse(responseCode = "403", description = "LOCATION_NOT_YOURS: a hospital or point orders only for itself",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "VALIDATION_FAILED, INVALID_VALUE, LOCATION_UNKNOWN, LOCATION_NOT_ORDERABLE, QUANTITY_TOO_LARGE, NEEDED_BY_IN_PAST, NEEDED_BY_TOO_FAR, IDEMPOTENCY_KEY_REUSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "ALLOCATION_BACKLOG: allocation is behind (ADR 0026); a ROUTINE order"
            + " is refused until it catches up, retry after the Retry-After seconds. URGENT and EMERGENCY are always taken.",
            headers = @org.eclipse.microprofile.openapi.annotations.headers.Header(name = "Retry-After",
                    description = "seconds to wait before submitting again", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(@HeaderParam(Idempotency.HEADER) String key, @Valid @NotNull OrderDtos.NewOrder body) {
        caller.requireOwnLocation(body.locationId());
        return idempotency.run(key, "POST /orders", body, () -> {
            BloodOrder o = placement.place(body.submission());
            return Response.created(URI.create("/api/v1/orders/" + o.id)).entity(OrderDtos.OrderView.of(o, null)).build();
        });
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    @APIResponse(responseCode = "404", description = "No such order, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The order with its lines, bags and history",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderDtos.OrderView.class)))
    public OrderDtos.OrderView get(@PathParam("id") String id) {
        BloodOrder o = visible(id, false);
        return OrderDtos.OrderView.of(o, issueNoteNo(o));
    }

    @GET
    @Transactional
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    public OrderDtos.OrderList list(@QueryParam("locationId") String locationId, @QueryParam("status") String status,
                                    @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = Lists.limit(limit);
        long before = Lists.seqPosition(cursor);
        String location = caller.locationFilter(locationId);
        StringBuilder q = new StringBuilder("seq < :before");
        Parameters p = Parameters.with("before", before);
        if (location != null) {
            q.append(" and locationId = :location");
            p.and("location", location);
        }
        if (status != null && !status.isBlank()) {
            q.append(" and status = :status");
            p.and("status", parseStatus(status));
        }
        List<BloodOrder> page = BloodOrder.<BloodOrder>find(q + " order by seq desc", p).page(0, n + 1).list();
        boolean more = page.size() > n;
        List<BloodOrder> items = more ? page.subList(0, n) : page;
        List<OrderDtos.OrderView> views = new ArrayList<>();
        for (BloodOrder o : items) {
            views.add(OrderDtos.OrderView.of(o, issueNoteNo(o)));
        }
        return new OrderDtos.OrderList(views, more ? Lists.cursor(String.valueOf(items.get(n - 1).seq)) : null);
    }

    /**
     * {@code GET /orders/stream}: event {@code order} ({@code {id, locationId, status, previous, priority, revision,
     * detail, at}}) whenever an order the caller may see moves (its own location's; the station sees every order),
     * amendments included; a comment line every 15 s. Hot: read {@code GET /orders} first, then apply the moves.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        boolean station = caller.isStation();
        String own = caller.locationId();
        return EventStreams.merged(sse, liveOrders.moves()
                .filter(m -> station || m.locationId().equals(own))
                .map(m -> EventStreams.json(sse, "order", m)));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    @APIResponse(responseCode = "200", description = "The order, CANCELLED",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderDtos.OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "ORDER_NOT_CANCELLABLE: already dispatched or received",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                           @Valid OrderDtos.CancelRequest body) {
        String reason = body == null ? null : body.reason();
        return idempotency.run(key, "POST /orders/" + id + "/cancel", body == null ? Map.of() : body, () -> {
            BloodOrder o = orders.cancel(visible(id, true), reason, caller.actor(), Instant.now());
            return Response.ok(OrderDtos.OrderView.of(o, null)).build();
        });
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    @APIResponse(responseCode = "200", description = "The order as amended, SUBMITTED again: it is allocated again, keeping"
            + " the bags of a line that names its lineNo as far as they still fit (they show again once the inventory"
            + " has answered); the history records what changed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderDtos.OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "ORDER_DISPATCHED: dispatched or received; ORDER_CANCELLED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "AMENDMENT_EMPTY, LINES_REQUIRED (an amendment never empties an order),"
            + " LINE_UNKNOWN, LINE_DUPLICATED, QUANTITY_TOO_LARGE, TOO_MANY_LINES, REQUIREMENT_NOT_APPLICABLE,"
            + " NEEDED_BY_IN_PAST, NEEDED_BY_TOO_FAR, VALIDATION_FAILED, INVALID_VALUE, IDEMPOTENCY_KEY_REUSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response amend(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                          @Valid @NotNull OrderDtos.Amendment body) {
        return idempotency.run(key, "PATCH /orders/" + id, body, () -> {
            BloodOrder o = orders.amend(visible(id, true), body.toDomain(), caller.actor(), Instant.now());
            return Response.ok(OrderDtos.OrderView.of(o, null)).build();
        });
    }

    @POST
    @Path("/{id}/dispatch")
    @RolesAllowed(Roles.STATION_DISPATCHER)
    @APIResponse(responseCode = "201", description = "The issue note of the dispatched order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = IssueNoteView.class)))
    @APIResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "ORDER_NOT_DISPATCHABLE: nothing allocated, or not before dispatch",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response dispatch(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id) {
        return idempotency.run(key, "POST /orders/" + id + "/dispatch", Map.of("orderId", id), () -> {
            BloodOrder o = visible(id, true);
            IssueNote note = orders.dispatch(o, caller.actor(), Instant.now());
            return Response.created(URI.create("/api/v1/orders/" + o.id + "/issue-note"))
                    .entity(IssueNoteView.of(note, o, Location.findById(o.locationId))).build();
        });
    }

    @GET
    @Path("/{id}/issue-note")
    @Transactional
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    public IssueNoteView issueNote(@PathParam("id") String id) {
        BloodOrder o = visible(id, false);
        IssueNote note = IssueNote.<IssueNote>find("orderId", o.id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("issue note of order " + id));
        return IssueNoteView.of(note, o, Location.findById(o.locationId));
    }

    @GET
    @Path("/{id}/issue-note")
    @Transactional
    @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR, Roles.STATION_DISPATCHER})
    public String issueNoteHtml(@PathParam("id") String id) {
        return issueNote(id).html(config.zone());
    }

    @POST
    @Path("/{id}/receipt")
    @RolesAllowed({Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR})
    @APIResponse(responseCode = "200", description = "The order, RECEIVED, with each bag accepted or rejected",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderDtos.OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order, or another location's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "ORDER_NOT_RECEIVABLE: not dispatched",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "RECEIPT_INCOMPLETE, UNIT_NOT_DISPATCHED, UNIT_DUPLICATE, REASON_REQUIRED, DIN_INVALID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response receipt(@HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id,
                            @Valid @NotNull OrderDtos.ReceiptRequest body) {
        List<Orders.Receipt> receipts = new ArrayList<>();
        for (int i = 0; i < body.units().size(); i++) {
            OrderDtos.UnitReceipt u = body.units().get(i);
            receipts.add(new Orders.Receipt(canonicalDin(u.din(), "units[" + i + "].din"), u.component(), u.accepted(),
                    u.reason()));
        }
        return idempotency.run(key, "POST /orders/" + id + "/receipt", body, () -> {
            BloodOrder o = orders.receive(visible(id, true), receipts, caller.actor(), Instant.now());
            return Response.ok(OrderDtos.OrderView.of(o, issueNoteNo(o))).build();
        });
    }

    /** The order if the caller may see it (locked for a change when asked); otherwise 404, as if it did not exist. */
    private BloodOrder visible(String id, boolean forUpdate) {
        BloodOrder o = forUpdate ? orders.locked(id) : BloodOrder.<BloodOrder>find("id", id).firstResult();
        if (o == null) {
            throw ApiException.notFound("order " + id);
        }
        caller.requireAccessTo(o.locationId, "order " + id);
        return o;
    }

    private static String issueNoteNo(BloodOrder o) {
        if (o.status != OrderStatus.DISPATCHED && o.status != OrderStatus.RECEIVED) {
            return null;
        }
        return IssueNote.<IssueNote>find("orderId", o.id).firstResultOptional().map(n -> n.no).orElse(null);
    }

    static OrderStatus parseStatus(String text) {
        return QueryParams.enumValue(OrderStatus.class, text, "status");
    }

    static String canonicalDin(String text, String field) {
        try {
            return Din.parse(text).canonical();
        } catch (InvalidDinException e) {
            throw ApiException.unprocessable("DIN_INVALID", e.getMessage(), field);
        }
    }
}

package io.hemolink.inventory.api;

import io.hemolink.common.api.QueryParams;
import io.hemolink.common.security.Caller;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.security.Roles;
import io.hemolink.inventory.domain.BalanceBoard;
import io.hemolink.inventory.domain.StockPicture;
import io.hemolink.inventory.domain.Reconciliation;
import io.hemolink.inventory.domain.SupplyLevels;
import io.hemolink.inventory.messaging.LiveStock;
import io.hemolink.common.api.EventStreams;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;


import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /stock}: available stock per location × component × group, from the levels the ledger keeps, plus
 * the region's totals (locationId {@code REGION}). The station sees every location; a hospital or storage point sees
 * its own detail and the region's totals. Answered from the shared {@link StockPicture} (never older than a change
 * committed on this instance), each filter's lines rendered once per picture; a weak ETag names the lines and
 * {@code If-None-Match} with it is 304 Not Modified with no body, for pollers.
 */
@Path("/stock")
public class StockResource {

    public static final String REGION = "REGION";

    /** One stock line. {@code daysOfSupply} is null while there is no issue history ("no data", never 0). */
    public record StockItem(String locationId, Component component, Abo abo, RhD rhd, int bags, int quantity, Uom uom,
                            int expiringWithin72h, @Schema(nullable = true) Double daysOfSupply,
                            @Schema(nullable = true) Level level) {
    }

    public record StockView(Instant asOf, List<StockItem> items) {
    }

    @Inject
    StockPicture picture;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @Inject
    Caller caller;

    @Inject
    LiveStock live;

    @Inject
    SupplyLevels levels;

    @Inject
    BalanceBoard balance;

    @Inject
    Reconciliation reconciliation;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION,
            Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR})
    @APIResponseSchema(value = StockView.class, responseCode = "200",
            responseDescription = "Stock lines and region totals, with a weak ETag of the lines")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current ETag (no body)")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: a hospital or point asked for another location's stock")
    public Response stock(@QueryParam("locationId") String locationId, @QueryParam("component") String component,
                          @QueryParam("abo") String abo, @QueryParam("rhd") String rhd,
                          @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Component c = component == null ? null : UnitResource.parseComponent(component);
        Abo a = QueryParams.enumValue(Abo.class, abo, "abo");
        RhD r = QueryParams.enumValue(RhD.class, rhd, "rhd");
        boolean regionOnly = REGION.equals(locationId);
        String detail = regionOnly ? null : locationId;
        if (!caller.isStation()) {
            // another location named in the query: 403 LOCATION_NOT_YOURS, as everywhere (ADR 0020)
            detail = caller.locationFilter(detail);
        }
        String detailLocation = detail;
        boolean withRegion = locationId == null || regionOnly;
        // what the answer depends on besides the picture: the same key is the same answer for every caller
        String key = "stock|" + withRegion + "|" + regionOnly + "|" + detailLocation + "|" + c + "|" + a + "|" + r;
        Rendered view = picture.current().view(key, s -> render(s, regionOnly, detailLocation, withRegion, c, a, r));
        if (ETags.matches(ifNoneMatch, view.tag())) {
            return ETags.answer(ifNoneMatch, view.tag(), null);
        }
        byte[] asOf = json(Instant.now());
        byte[] body = new byte[OPEN.length + asOf.length + ITEMS.length + view.items().length + CLOSE.length];
        int at = 0;
        for (byte[] part : new byte[][]{OPEN, asOf, ITEMS, view.items(), CLOSE}) {
            System.arraycopy(part, 0, body, at, part.length);
            at += part.length;
        }
        return ETags.answer(null, view.tag(), body);
    }

    // a StockView written as Jackson writes it, around the lines rendered once per picture and filter
    private static final byte[] OPEN = ETags.utf8("{\"asOf\":");
    private static final byte[] ITEMS = ETags.utf8(",\"items\":");
    private static final byte[] CLOSE = ETags.utf8("}");

    /** The items of one filter, serialised, and their tag. */
    record Rendered(byte[] items, EntityTag tag) {
    }

    private Rendered render(StockPicture.Snapshot snapshot, boolean regionOnly, String detailLocation, boolean withRegion,
                            Component c, Abo a, RhD r) {
        List<StockItem> items = new ArrayList<>();
        Map<String, long[]> region = new LinkedHashMap<>();
        for (StockPicture.Level l : snapshot.levels()) {
            if ((c != null && c != l.component()) || (a != null && a != l.abo()) || (r != null && r != l.rhd())) {
                continue;
            }
            String loc = l.locationId();
            long issuedHere = snapshot.issued(loc, l.component(), l.abo(), l.rhd());
            String key = l.component() + "|" + l.abo() + "|" + l.rhd();
            long[] total = region.computeIfAbsent(key, k -> new long[4]);
            total[0] += l.bags();
            total[1] += l.quantity();
            total[2] += l.expiringSoon();
            // the region's use is what was transfused: issues outside the station (dispatches are internal moves)
            total[3] += LocationId.isStation(loc) ? 0 : issuedHere;
            if (!regionOnly && (detailLocation == null || detailLocation.equals(loc))) {
                items.add(item(loc, key, l.bags(), l.quantity(), l.expiringSoon(), issuedHere));
            }
        }
        if (withRegion) {
            region.forEach((key, t) -> items.add(item(REGION, key, (int) t[0], (int) t[1], (int) t[2], t[3])));
        }
        byte[] json = json(items);
        return new Rendered(json, ETags.of(json));
    }

    /**
     * {@code GET /stock/balance}: the region's balance board (region figures only, so hospitals may see it too), with
     * a weak ETag of its rows.
     */
    @GET
    @Path("/balance")
    @Transactional
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    @APIResponseSchema(value = BalanceBoard.Board.class, responseCode = "200",
            responseDescription = "The balance board, with a weak ETag of its rows")
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current ETag (no body)")
    public Response balance(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        BalanceBoard.Board board = balance.board();
        EntityTag tag = ETags.of(json(List.of(board.forecastDays(), board.rows())));
        return ETags.answer(ifNoneMatch, tag, ETags.matches(ifNoneMatch, tag) ? null : json(board));
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the stock answer could not be written", e);
        }
    }

    /**
     * {@code GET /stock/reconciliation}: the levels, the ledger and the reservations checked against the units in one
     * snapshot; {@code consistent} is false with the differences named when a write bypassed the ledger.
     */
    @GET
    @Path("/reconciliation")
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA})
    @Operation(summary = "Checks the stock levels and the ledger against the units (station)",
            description = "Full scans in one read-only snapshot: meant for operations and tests, not for polling.")
    public Reconciliation.Report reconciliation() {
        return reconciliation.run();
    }

    /**
     * {@code GET /stock/stream}: event {@code stock} (a stock item) on every change the caller may see, event
     * {@code alert} ({@code {id, component, abo, rhd, scope, level, since, clearedAt}}) whenever a region alert or one
     * of the caller's own is raised, changes level (cleared, then raised) or clears; a comment line every 15 s keeps
     * proxies from closing an idle stream.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        boolean station = caller.isStation();
        String own = caller.locationId();
        Multi<OutboundSseEvent> changes = live.changes()
                .filter(l -> station || l.locationId().equals(own))
                .map(l -> EventStreams.json(sse, "stock", new StockItem(l.locationId(), l.component(), l.abo(), l.rhd(),
                        l.bags(), l.quantity(), l.uom(), l.expiringWithin72h(), l.daysOfSupply(), l.level())));
        // alerts: the region's and the caller's own; the station sees every scope
        Multi<OutboundSseEvent> alerts = live.alerts()
                .filter(a -> station || io.hemolink.inventory.domain.SupplyAlerts.REGION.equals(a.scope())
                        || a.scope().equals(own))
                .map(a -> EventStreams.json(sse, "alert", a));
        return EventStreams.merged(sse, changes, alerts);
    }

    private StockItem item(String location, String key, int bags, int qty, int expiring, long issuedInWindow) {
        String[] k = key.split("\\|");
        Component c = Component.valueOf(k[0]);
        Double days = levels.daysOfSupply(qty, levels.averageDailyIssue(issuedInWindow));
        return new StockItem(location, c, Abo.valueOf(k[1]), RhD.valueOf(k[2]), bags, qty, c.uom(), expiring, days,
                levels.level(c.productClass(), days));
    }
}

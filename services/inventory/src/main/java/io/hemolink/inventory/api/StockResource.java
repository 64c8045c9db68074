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
import io.hemolink.inventory.domain.IssueHistory;
import io.hemolink.inventory.domain.Reconciliation;
import io.hemolink.inventory.domain.SupplyLevels;
import io.hemolink.inventory.messaging.LiveStock;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;


import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /stock}: available stock per location × component × group, from the levels the ledger keeps, plus
 * the region's totals (locationId {@code REGION}). The station sees every location; a hospital or storage point sees
 * its own detail and the region's totals.
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
    EntityManager em;

    @Inject
    Caller caller;

    @Inject
    LiveStock live;

    @Inject
    IssueHistory issues;

    @Inject
    SupplyLevels levels;

    @Inject
    BalanceBoard balance;

    @Inject
    Reconciliation reconciliation;

    @GET
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.WAIVER_ADMIN, Roles.HOSPITAL_TRANSFUSION,
            Roles.HIS_INTEGRATION, Roles.STORAGE_POINT_OPERATOR})
    @APIResponseSchema(value = StockView.class, responseCode = "200", responseDescription = "Stock lines and region totals")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: a hospital or point asked for another location's stock")
    public StockView stock(@QueryParam("locationId") String locationId, @QueryParam("component") String component,
                           @QueryParam("abo") String abo, @QueryParam("rhd") String rhd) {
        Component c = component == null ? null : UnitResource.parseComponent(component);
        Abo a = QueryParams.enumValue(Abo.class, abo, "abo");
        RhD r = QueryParams.enumValue(RhD.class, rhd, "rhd");
        boolean regionOnly = REGION.equals(locationId);
        String detailLocation = regionOnly ? null : locationId;
        if (!caller.isStation()) {
            // another location named in the query: 403 LOCATION_NOT_YOURS, as everywhere (ADR 0020)
            detailLocation = caller.locationFilter(detailLocation);
        }
        Instant now = Instant.now();
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (c != null) {
            where.append(" and component = :component");
            params.put("component", c.name());
        }
        if (a != null) {
            where.append(" and abo = :abo");
            params.put("abo", a.name());
        }
        if (r != null) {
            where.append(" and rhd = :rhd");
            params.put("rhd", r.name());
        }
        Map<String, Long> issued = issues.issuedInWindow(where.toString(), params);
        List<StockItem> items = new ArrayList<>();
        Map<String, long[]> region = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query("select location_id, component, abo, rhd, bags, quantity, expiring_soon from stock_level" + where
                + " order by location_id, component, abo, rhd", params).getResultList();
        for (Object[] row : rows) {
            String loc = (String) row[0];
            String key = row[1] + "|" + row[2] + "|" + row[3];
            int bags = ((Number) row[4]).intValue();
            int qty = ((Number) row[5]).intValue();
            int exp = ((Number) row[6]).intValue();
            long issuedHere = issued.getOrDefault(loc + "|" + key, 0L);
            long[] total = region.computeIfAbsent(key, k -> new long[4]);
            total[0] += bags;
            total[1] += qty;
            total[2] += exp;
            // the region's use is what was transfused: issues outside the station (dispatches are internal moves)
            total[3] += LocationId.isStation(loc) ? 0 : issuedHere;
            if (!regionOnly && (detailLocation == null || detailLocation.equals(loc))) {
                items.add(item(loc, key, bags, qty, exp, issuedHere));
            }
        }
        if (locationId == null || regionOnly) {
            region.forEach((key, t) -> items.add(item(REGION, key, (int) t[0], (int) t[1], (int) t[2], t[3])));
        }
        return new StockView(now, items);
    }

    /** {@code GET /stock/balance}: the region's balance board (region figures only, so hospitals may see it too). */
    @GET
    @Path("/balance")
    @Transactional
    @RolesAllowed({Roles.STATION_DISPATCHER, Roles.STATION_QA, Roles.HOSPITAL_TRANSFUSION, Roles.HIS_INTEGRATION})
    public BalanceBoard.Board balance() {
        return balance.board();
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
     * {@code GET /stock/stream}: event {@code stock} (a stock item) on every change the caller may see; a comment
     * line every 15 s keeps proxies from closing an idle stream.
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
                .map(l -> sse.newEventBuilder().name("stock").mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(new StockItem(l.locationId(), l.component(), l.abo(), l.rhd(), l.bags(), l.quantity(),
                                l.uom(), l.expiringWithin72h(), l.daysOfSupply(), l.level()))
                        .build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(java.time.Duration.ofSeconds(15))
                .map(t -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(changes, keepAlive);
    }

    private jakarta.persistence.Query query(String sql, Map<String, Object> params) {
        jakarta.persistence.Query q = em.createNativeQuery(sql);
        params.forEach(q::setParameter);
        return q;
    }

    private StockItem item(String location, String key, int bags, int qty, int expiring, long issuedInWindow) {
        String[] k = key.split("\\|");
        Component c = Component.valueOf(k[0]);
        Double days = levels.daysOfSupply(qty, levels.averageDailyIssue(issuedInWindow));
        return new StockItem(location, c, Abo.valueOf(k[1]), RhD.valueOf(k[2]), bags, qty, c.uom(), expiring, days,
                levels.level(c.productClass(), days));
    }
}

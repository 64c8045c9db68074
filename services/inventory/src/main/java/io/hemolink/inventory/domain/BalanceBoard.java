package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The region's balance board: for each component and group, the usable stock at the station, at hospitals and at
 * storage points, what is in transit, the open demand (lines of orders not yet dispatched or cancelled, and how much of
 * it is not yet allocated), the forecast demand of the coming days, and the region's average daily issue, days of
 * supply and level. Every figure comes from kept tables (levels, open lines, forecasts, daily issues), never from a
 * scan of the ledger; all but the open demand through the shared {@link StockPicture}.
 */
@ApplicationScoped
public class BalanceBoard {

    /** One row of the board; quantities in the component's unit of issue. */
    public record Row(Component component, Abo abo, RhD rhd, Uom uom, long station, long hospitals, long storagePoints,
                      long inTransit, long openDemand, long unallocatedDemand, long forecastDemand,
                      @Schema(nullable = true) Double avgDailyIssue, @Schema(nullable = true) Double daysOfSupply,
                      @Schema(nullable = true) Level level) {
    }

    public record Board(Instant asOf, int forecastDays, List<Row> rows) {
    }

    @Inject
    EntityManager em;

    @Inject
    SupplyLevels levels;

    @Inject
    InventoryConfig config;

    @Inject
    StockPicture picture;

    /**
     * The board: the stock, in-transit, forecast and issue figures from the shared stock picture, the open demand
     * (which moves with every order event) read now from the open lines.
     */
    public Board board() {
        StockPicture.Snapshot s = picture.current();
        Map<String, long[]> figures = new TreeMap<>(BalanceBoard::byCatalogue);
        // 0 station, 1 hospitals, 2 storage points, 3 in transit, 4 open, 5 unallocated, 6 forecast, 7 issued
        for (StockPicture.Level l : s.levels()) {
            String key = l.component() + "|" + l.abo() + "|" + l.rhd();
            if (l.quantity() > 0) {
                int slot = LocationId.isStation(l.locationId()) ? 0 : LocationId.isStoragePoint(l.locationId()) ? 2 : 1;
                figures.computeIfAbsent(key, k -> new long[8])[slot] += l.quantity();
            }
        }
        s.inTransit().forEach((key, q) -> figures.computeIfAbsent(key, k -> new long[8])[3] += q);
        for (Object[] r : rows("select component, abo, rhd, sum(quantity), sum(greatest(quantity - allocated, 0))"
                + " from demand_line where closed_at is null group by component, abo, rhd")) {
            long[] f = figures.computeIfAbsent(key(r, 0), k -> new long[8]);
            f[4] += ((Number) r[3]).longValue();
            f[5] += ((Number) r[4]).longValue();
        }
        s.forecast().forEach((key, q) -> figures.computeIfAbsent(key, k -> new long[8])[6] += q);
        s.issuedInRegion().forEach((key, q) -> figures.computeIfAbsent(key, k -> new long[8])[7] += q);
        int horizon = config.balance().forecastDays();
        List<Row> out = new ArrayList<>();
        figures.forEach((key, f) -> {
            String[] k = key.split("\\|");
            Component c = Component.valueOf(k[0]);
            Double average = levels.averageDailyIssue(f[7]);
            Double days = levels.daysOfSupply(f[0] + f[1] + f[2], average);
            out.add(new Row(c, Abo.valueOf(k[1]), RhD.valueOf(k[2]), c.uom(), f[0], f[1], f[2], f[3], f[4], f[5], f[6],
                    average == null ? null : Math.round(average * 100) / 100.0, days, levels.level(c.productClass(), days)));
        });
        return new Board(Instant.now(), horizon, out);
    }

    private List<Object[]> rows(String sql) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql).getResultList();
        return rows;
    }

    private static String key(Object[] r, int from) {
        return r[from] + "|" + r[from + 1] + "|" + r[from + 2];
    }

    /** Catalogue order: component, then O, A, B, AB, then POS before NEG. */
    private static int byCatalogue(String a, String b) {
        String[] x = a.split("\\|");
        String[] y = b.split("\\|");
        int c = Integer.compare(Component.valueOf(x[0]).ordinal(), Component.valueOf(y[0]).ordinal());
        if (c == 0) {
            c = Integer.compare(Abo.valueOf(x[1]).ordinal(), Abo.valueOf(y[1]).ordinal());
        }
        return c != 0 ? c : Integer.compare(RhD.valueOf(x[2]).ordinal(), RhD.valueOf(y[2]).ordinal());
    }
}

package io.hemolink.storagepoint.api;

import io.hemolink.common.api.Lists;
import io.hemolink.common.problem.ApiException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.TemperatureRange;
import io.hemolink.storagepoint.config.StoragePointConfig;
import io.hemolink.storagepoint.domain.Equipment;
import io.hemolink.storagepoint.domain.Replenishment;
import io.hemolink.storagepoint.domain.StoragePoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;
import static io.hemolink.common.db.SqlValues.uuid;

/**
 * What the storage-point reads show: equipment with its last reading and state (EXCURSION while one is open,
 * NO_DATA when no reading came for the configured gap, never "in range" then; OUT_OF_RANGE when the last reading is
 * out but not yet an excursion; otherwise IN_RANGE), the stock summary from the picture of units, par levels,
 * excursions with the units they quarantined, and alerts.
 */
@ApplicationScoped
public class StoragePointViews {

    static final Duration EXPIRING_SOON = Duration.ofHours(72);

    @Inject
    EntityManager em;

    @Inject
    StoragePointConfig config;

    @Inject
    Replenishment replenishment;

    /** The offset a list cursor of this service stands for (the excursion and alert lists page by offset). */
    static int offset(String cursor) {
        String position = Lists.position(cursor);
        if (position == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(position);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("CURSOR_INVALID", "the cursor is not one this service handed out");
    }

    public Dtos.StoragePointView view(StoragePoint p, Instant now) {
        Map<String, UUID> openExcursions = new HashMap<>();
        for (Object[] r : rows("select equipment_id, id from excursion where storage_point_id = ?1 and ended_at is null", p.id)) {
            openExcursions.put((String) r[0], uuid(r[1]));
        }
        List<Dtos.EquipmentView> equipment = new ArrayList<>();
        Instant staleBefore = now.minus(config.temperature().noDataAfter());
        for (Equipment e : Equipment.ofPoint(p.id)) {
            TemperatureRange range = config.range(e.kind);
            Dtos.LastReading last = e.lastReadingAt == null ? null
                    : new Dtos.LastReading(e.lastReadingAt, e.lastCelsius, range.contains(e.lastCelsius));
            boolean noData = e.lastReadingAt == null || e.lastReadingAt.isBefore(staleBefore);
            UUID open = openExcursions.get(e.id);
            String state = open != null ? "EXCURSION" : noData ? "NO_DATA" : last.inRange() ? "IN_RANGE" : "OUT_OF_RANGE";
            Instant noDataSince = noData ? (e.lastReadingAt == null ? e.createdAt : e.lastReadingAt) : null;
            equipment.add(new Dtos.EquipmentView(e.id, e.kind, range.minCelsius(), range.maxCelsius(), last, state, open,
                    noDataSince));
        }
        List<Dtos.StockLine> stock = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object[]> lines = em.createNativeQuery("""
                        select component, abo, rhd, min(uom), count(*), sum(quantity),
                               coalesce(sum(quantity) filter (where status = 'AVAILABLE' and hold_excursion_id is null
                                                              and expires_at > ?2), 0),
                               count(*) filter (where status = 'QUARANTINED' or hold_excursion_id is not null),
                               count(*) filter (where status = 'AVAILABLE' and hold_excursion_id is null
                                                and expires_at > ?2 and expires_at <= ?3)
                        from point_unit where storage_point_id = ?1
                        group by component, abo, rhd order by component, abo, rhd""")
                .setParameter(1, p.id).setParameter(2, utc(now)).setParameter(3, utc(now.plus(EXPIRING_SOON)))
                .getResultList();
        for (Object[] r : lines) {
            stock.add(new Dtos.StockLine(Component.valueOf((String) r[0]), Abo.valueOf((String) r[1]),
                    RhD.valueOf((String) r[2]), io.hemolink.contracts.blood.Uom.valueOf((String) r[3]), n(r[4]), n(r[5]),
                    n(r[6]), n(r[7]), n(r[8])));
        }
        List<Dtos.ParLevelView> par = replenishment.lines(p.id, now).stream()
                .map(l -> new Dtos.ParLevelView(l.component(), l.abo(), l.rhd(), l.min(), l.target(), l.stock(), l.openRequest()))
                .toList();
        return new Dtos.StoragePointView(p.id, p.name, p.hostHospitalId, equipment, stock, par,
                alerts(p.id, true, 500, 0).items(), now);
    }

    public Dtos.Page<Dtos.ExcursionView> excursions(String pointId, int limit, int offset) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, equipment_id, reason, since, detected_at, min_celsius, max_celsius, ended_at
                        from excursion where storage_point_id = ?1 order by detected_at desc, id limit ?2 offset ?3""")
                .setParameter(1, pointId).setParameter(2, limit + 1).setParameter(3, offset).getResultList();
        List<Dtos.ExcursionView> items = new ArrayList<>();
        for (Object[] r : rows.subList(0, Math.min(limit, rows.size()))) {
            UUID id = uuid(r[0]);
            @SuppressWarnings("unchecked")
            List<Object[]> units = em.createNativeQuery(
                            "select din, component from excursion_unit where excursion_id = ?1 order by din, component")
                    .setParameter(1, id).getResultList();
            items.add(new Dtos.ExcursionView(id, pointId, (String) r[1], (String) r[2], instant(r[3]), instant(r[4]),
                    ((Number) r[5]).doubleValue(), ((Number) r[6]).doubleValue(), r[7] == null ? null : instant(r[7]),
                    units.stream().map(u -> new Dtos.UnitKeyView(((String) u[0]).trim(), Component.valueOf((String) u[1])))
                            .toList()));
        }
        return new Dtos.Page<>(items, rows.size() > limit ? Lists.cursor(String.valueOf(offset + limit)) : null);
    }

    public Dtos.Page<Dtos.AlertView> alerts(String pointId, boolean activeOnly, int limit, int offset) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, kind, equipment_id, since, raised_at, cleared_at from (
                            select id, kind, equipment_id, since, raised_at, cleared_at from equipment_alert
                            where storage_point_id = ?1
                            union all
                            select id, 'EXCURSION', equipment_id, since, detected_at, ended_at from excursion
                            where storage_point_id = ?1) a
                        where not ?4 or cleared_at is null
                        order by raised_at desc, id limit ?2 offset ?3""")
                .setParameter(1, pointId).setParameter(2, limit + 1).setParameter(3, offset).setParameter(4, activeOnly)
                .getResultList();
        List<Dtos.AlertView> items = rows.subList(0, Math.min(limit, rows.size())).stream()
                .map(r -> new Dtos.AlertView(uuid(r[0]), (String) r[1], (String) r[2], instant(r[3]), instant(r[4]),
                        r[5] == null ? null : instant(r[5])))
                .toList();
        return new Dtos.Page<>(items, rows.size() > limit ? Lists.cursor(String.valueOf(offset + limit)) : null);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Object param) {
        return em.createNativeQuery(sql).setParameter(1, param).getResultList();
    }

    private static int n(Object o) {
        return o == null ? 0 : ((Number) o).intValue();
    }
}

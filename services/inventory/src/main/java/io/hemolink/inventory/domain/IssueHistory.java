package io.hemolink.inventory.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.LocalDate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issues per day and stock key ({@code daily_issue}), written with the movement that issues and read as the sum
 * over the rolling window. Days are the station's calendar days ({@code hemolink.inventory.zone}, default Asia/Shanghai).
 */
@ApplicationScoped
public class IssueHistory {

    @Inject
    EntityManager em;

    @Inject
    SupplyLevels levels;

    @Inject
    io.hemolink.inventory.config.InventoryConfig config;

    /** Adds an issue of {@code unit}'s quantity at {@code location} on the day of {@code at}. */
    public void record(String location, Unit unit, Instant at) {
        em.createNativeQuery("""
                        insert into daily_issue (location_id, component, abo, rhd, day, quantity) values (?1, ?2, ?3, ?4, ?5, ?6)
                        on conflict (location_id, component, abo, rhd, day) do update
                           set quantity = daily_issue.quantity + excluded.quantity""")
                .setParameter(1, location)
                .setParameter(2, unit.component.name())
                .setParameter(3, unit.abo.name())
                .setParameter(4, unit.rhd.name())
                .setParameter(5, LocalDate.ofInstant(at, config.zone()))
                .setParameter(6, unit.quantity)
                .executeUpdate();
    }

    /** Today in the station's calendar. */
    public LocalDate today() {
        return LocalDate.now(config.zone());
    }

    /** The first day inside the window that ends today. */
    public LocalDate windowStart() {
        return today().minusDays(levels.windowDays() - 1L);
    }

    /** Quantity transfused in the region in the window: issues outside the station (dispatches are internal moves). */
    public long issuedInRegionWindow(io.hemolink.contracts.blood.Component c, io.hemolink.contracts.blood.Abo abo,
                                     io.hemolink.contracts.blood.RhD rhd) {
        Number n = (Number) em.createNativeQuery("select coalesce(sum(quantity), 0) from daily_issue"
                        + " where location_id <> 'STATION' and component = ?1 and abo = ?2 and rhd = ?3 and day >= ?4")
                .setParameter(1, c.name())
                .setParameter(2, abo.name())
                .setParameter(3, rhd.name())
                .setParameter(4, windowStart())
                .getSingleResult();
        return n.longValue();
    }

    /** Quantity issued in the window for one key. */
    public long issuedInWindow(String location, Unit unit) {
        return issuedInWindow(location, unit.component, unit.abo, unit.rhd);
    }

    /** Quantity issued in the window at {@code location} of one component and group. */
    public long issuedInWindow(String location, io.hemolink.contracts.blood.Component c, io.hemolink.contracts.blood.Abo abo,
                               io.hemolink.contracts.blood.RhD rhd) {
        Number n = (Number) em.createNativeQuery("""
                        select coalesce(sum(quantity), 0) from daily_issue
                        where location_id = ?1 and component = ?2 and abo = ?3 and rhd = ?4 and day >= ?5""")
                .setParameter(1, location)
                .setParameter(2, c.name())
                .setParameter(3, abo.name())
                .setParameter(4, rhd.name())
                .setParameter(5, windowStart())
                .getSingleResult();
        return n.longValue();
    }

    /**
     * Quantity issued in the window per {@code location|component|abo|rhd}, for the keys that {@code where} (a
     * clause over component, abo, rhd with named parameters) selects.
     */
    public Map<String, Long> issuedInWindow(String where, Map<String, Object> params) {
        jakarta.persistence.Query q = em.createNativeQuery("select location_id, component, abo, rhd, sum(quantity) from daily_issue"
                + where + " and day >= :windowStart group by location_id, component, abo, rhd");
        params.forEach(q::setParameter);
        q.setParameter("windowStart", windowStart());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        Map<String, Long> out = new HashMap<>();
        for (Object[] r : rows) {
            out.put(r[0] + "|" + r[1] + "|" + r[2] + "|" + r[3], ((Number) r[4]).longValue());
        }
        return out;
    }
}

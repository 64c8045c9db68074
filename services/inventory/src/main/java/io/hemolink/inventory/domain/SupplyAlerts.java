package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.SupplyAlertCleared;
import io.hemolink.contracts.events.inventory.SupplyAlertRaised;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;

/**
 * Supply alerts for the region and for each location. Once a day (and on demand) every component × group gets its
 * region level from days of supply, and every location its own level for each key it has issued in the window (a key
 * without issue history has no level: "no data", never an alert); a level below GREEN is declared when it has held for {@code persistence-days} consecutive days (the worst
 * level seen on every one of them), RED at once; an alert whose group is back to GREEN is cleared. Raised and cleared
 * alerts are events (to dispatch, hospitals and donor recruitment) and are listed at {@code GET /alerts}.
 */
@ApplicationScoped
public class SupplyAlerts {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    public static final String REGION = "REGION";

    /** An alert as {@code GET /alerts} shows it. */
    public record Alert(UUID id, String scope, Component component, Abo abo, RhD rhd, Level level,
                        @Schema(nullable = true) Double daysOfSupply, Instant since,
                        @Schema(nullable = true) Instant clearedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    SupplyLevels levels;

    @Inject
    IssueHistory issues;

    @Inject
    io.hemolink.inventory.config.InventoryConfig config;

    @Scheduled(cron = "${hemolink.inventory.alerts.evaluate:0 5 * * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("supply-alerts", execution, () -> evaluate(issues.today()));
    }

    /** Records today's levels and raises or clears alerts; returns the alerts raised or cleared. */
    public List<Alert> evaluate(LocalDate today) {
        List<Alert> changed = new ArrayList<>(QuarkusTransaction.requiringNew().call(() -> {
            List<Alert> region = new ArrayList<>();
            for (Component c : Component.values()) {
                for (Abo abo : Abo.values()) {
                    for (RhD rhd : RhD.values()) {
                        region.addAll(evaluateKey(REGION, c, abo, rhd, today));
                    }
                }
            }
            return region;
        }));
        @SuppressWarnings("unchecked")
        List<Object[]> keys = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        select distinct location_id, component, abo, rhd from daily_issue where day >= ?1
                        union
                        select scope, component, abo, rhd from supply_alert where cleared_at is null and scope <> ?2
                        order by 1, 2, 3, 4""")
                .setParameter(1, issues.windowStart()).setParameter(2, REGION).getResultList());
        for (Object[] k : keys) {
            changed.addAll(QuarkusTransaction.requiringNew().call(() -> evaluateKey((String) k[0],
                    Component.valueOf((String) k[1]), Abo.valueOf((String) k[2]), RhD.valueOf((String) k[3]), today)));
        }
        return changed;
    }

    private List<Alert> evaluateKey(String scope, Component c, Abo abo, RhD rhd, LocalDate today) {
        boolean region = REGION.equals(scope);
        Number available = (Number) em.createNativeQuery("select coalesce(sum(quantity), 0) from stock_level"
                        + " where component = ?1 and abo = ?2 and rhd = ?3 and (?4 or location_id = ?5)")
                .setParameter(1, c.name()).setParameter(2, abo.name()).setParameter(3, rhd.name())
                .setParameter(4, region).setParameter(5, scope).getSingleResult();
        long issued = region ? issues.issuedInRegionWindow(c, abo, rhd) : issues.issuedInWindow(scope, c, abo, rhd);
        Double days = levels.daysOfSupply(available.longValue(), levels.averageDailyIssue(issued));
        Level level = levels.level(c.productClass(), days);
        em.createNativeQuery("""
                        insert into level_day (scope, component, abo, rhd, day, level, days_of_supply)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        on conflict (scope, component, abo, rhd, day) do update
                           set level = excluded.level, days_of_supply = excluded.days_of_supply""")
                .setParameter(1, scope).setParameter(2, c.name()).setParameter(3, abo.name()).setParameter(4, rhd.name())
                .setParameter(5, today).setParameter(6, level == null ? null : level.name()).setParameter(7, days)
                .executeUpdate();
        Alert open = open(scope, c, abo, rhd);
        Level declared = declaredLevel(scope, c, abo, rhd, today, level);
        Instant now = Instant.now();
        List<Alert> changed = new ArrayList<>();
        if (open != null && (declared == null || declared != open.level())) {
            if (declared == null && level != Level.GREEN) {
                return changed; // still short but not yet persistently at a new level: the open alert stands
            }
            em.createNativeQuery("update supply_alert set cleared_at = ?1 where id = ?2")
                    .setParameter(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).setParameter(2, open.id()).executeUpdate();
            outbox.publish(Events.SUPPLY_ALERT_CLEARED, scope + "|" + c + "|" + abo + "|" + rhd, "alert/" + open.id(),
                    new SupplyAlertCleared(open.id().toString(), scope, c, abo, rhd, now));
            changed.add(new Alert(open.id(), scope, c, abo, rhd, open.level(), open.daysOfSupply(), open.since(), now));
            open = null;
        }
        if (open == null && declared != null && declared.isShortage()) {
            UUID id = UUID.randomUUID();
            em.createNativeQuery("insert into supply_alert (id, scope, component, abo, rhd, level, days_of_supply, since)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                    .setParameter(1, id).setParameter(2, scope).setParameter(3, c.name()).setParameter(4, abo.name())
                    .setParameter(5, rhd.name()).setParameter(6, declared.name()).setParameter(7, days)
                    .setParameter(8, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).executeUpdate();
            outbox.publish(Events.SUPPLY_ALERT_RAISED, scope + "|" + c + "|" + abo + "|" + rhd, "alert/" + id,
                    new SupplyAlertRaised(id.toString(), scope, c, abo, rhd, declared, days, now));
            changed.add(new Alert(id, scope, c, abo, rhd, declared, days, now, null));
        }
        return changed;
    }

    /**
     * The level to declare today: RED at once; otherwise the best level among the last {@code hemolink.inventory.alerts.persistence-days}
     * evaluated days when every one of them was below GREEN; GREEN when today is GREEN; null when undecided or no data.
     */
    private Level declaredLevel(String scope, Component c, Abo abo, RhD rhd, LocalDate today, Level todayLevel) {
        if (todayLevel == null) {
            return null;
        }
        if (todayLevel == Level.RED || todayLevel == Level.GREEN) {
            return todayLevel;
        }
        @SuppressWarnings("unchecked")
        List<String> recent = em.createNativeQuery("""
                        select level from level_day where scope = ?1 and component = ?2 and abo = ?3 and rhd = ?4
                        and day > ?5 and day <= ?6 order by day desc""")
                .setParameter(1, scope).setParameter(2, c.name()).setParameter(3, abo.name()).setParameter(4, rhd.name())
                .setParameter(5, today.minusDays(config.alerts().persistenceDays())).setParameter(6, today)
                .getResultList();
        if (recent.size() < config.alerts().persistenceDays() || recent.stream().anyMatch(l -> l == null || Level.GREEN.name().equals(l))) {
            return null;
        }
        return recent.stream().map(Level::valueOf).min(Enum::compareTo).orElse(null);
    }

    private Alert open(String scope, Component c, Abo abo, RhD rhd) {
        List<Alert> found = list("where scope = ?1 and component = ?2 and abo = ?3 and rhd = ?4 and cleared_at is null",
                scope, c.name(), abo.name(), rhd.name());
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Alerts, newest first; only the open ones when {@code activeOnly}; the region's and those of the given scopes
     * (locations), or of every scope when {@code scopes} is null.
     */
    public List<Alert> list(boolean activeOnly, List<String> scopes) {
        String where = activeOnly ? "where cleared_at is null" : "where 1 = 1";
        if (scopes == null) {
            return list(where);
        }
        List<String> visible = new ArrayList<>(scopes);
        visible.add(REGION);
        return list(where + " and scope in (?1)", visible);
    }

    /** The alert, open or cleared; empty when there is none. */
    @jakarta.transaction.Transactional
    public java.util.Optional<Alert> find(UUID id) {
        return list("where id = ?1", id).stream().findFirst();
    }

    private List<Alert> list(String where, Object... params) {
        jakarta.persistence.Query q = em.createNativeQuery("select id, scope, component, abo, rhd, level, days_of_supply,"
                + " since, cleared_at from supply_alert " + where + " order by since desc limit 500");
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(r -> new Alert((UUID) r[0], (String) r[1], Component.valueOf((String) r[2]),
                Abo.valueOf((String) r[3]), RhD.valueOf((String) r[4]), Level.valueOf((String) r[5]),
                r[6] == null ? null : ((Number) r[6]).doubleValue(), instant(r[7]), r[8] == null ? null : instant(r[8])))
                .toList();
    }
}

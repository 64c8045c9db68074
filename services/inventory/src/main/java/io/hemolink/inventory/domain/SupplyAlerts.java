package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.RecruitmentRequested;
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
 * <p>
 * A region alert raised, or raised again at a worse level, also asks the station's donor system for donors of its
 * group in the same transaction ({@code RecruitmentRequested}, with the units that would bring the group back to
 * GREEN by {@code byDate}: {@link Recruitment}); the request is kept on the alert, and the donations of its group made
 * since are counted on it. An alert raised again at a better level that is still short carries the standing request
 * on (no new request, the counts go on); a cleared alert keeps the counts it had (ADR 0038).
 */
@ApplicationScoped
public class SupplyAlerts {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    public static final String REGION = "REGION";

    /** An alert as {@code GET /alerts} shows it. */
    public record Alert(UUID id, String scope, Component component, Abo abo, RhD rhd, Level level,
                        @Schema(nullable = true) Double daysOfSupply, Instant since,
                        @Schema(nullable = true) Instant clearedAt,
                        @Schema(nullable = true, description = "The donor recruitment this region alert asked for, with"
                                + " the donations of its group made since; null when it made none (not a region alert)")
                        RecruitmentCounts recruitment) {
    }

    /**
     * A region alert's recruitment request and how it is answered: donations of the alert's group (of the kind that
     * counts for its component) made at or after {@code requestedAt}, and the units they give in the component's unit
     * of issue; frozen when the alert is cleared.
     */
    public record RecruitmentCounts(Instant requestedAt, int unitsNeeded, LocalDate byDate, long donationsSince,
                                    double unitsSince) {
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

    @Inject
    Recruitment recruitment;

    @Inject
    RecruitmentDonations donations;

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
        QuarkusTransaction.requiringNew().run(this::forgetCountedDonations);
        return changed;
    }

    /**
     * Donations made before every open request (and over a week old) can never count again: a new request counts
     * from its own time on, and a cleared alert keeps its counts.
     */
    private void forgetCountedDonations() {
        Object oldest = em.createNativeQuery("select min(recruitment_requested_at) from supply_alert"
                + " where cleared_at is null and recruitment_requested_at is not null").getSingleResult();
        Instant weekAgo = Instant.now().minus(java.time.Duration.ofDays(7));
        Instant before = oldest == null ? weekAgo : java.util.Collections.min(List.of(instant(oldest), weekAgo));
        donations.forgetBefore(before);
    }

    private List<Alert> evaluateKey(String scope, Component c, Abo abo, RhD rhd, LocalDate today) {
        boolean region = REGION.equals(scope);
        Number available = (Number) em.createNativeQuery("select coalesce(sum(quantity), 0) from stock_level"
                        + " where component = ?1 and abo = ?2 and rhd = ?3 and (?4 or location_id = ?5)")
                .setParameter(1, c.name()).setParameter(2, abo.name()).setParameter(3, rhd.name())
                .setParameter(4, region).setParameter(5, scope).getSingleResult();
        long issued = region ? issues.issuedInRegionWindow(c, abo, rhd) : issues.issuedInWindow(scope, c, abo, rhd);
        Double averageDailyIssue = levels.averageDailyIssue(issued);
        Double days = levels.daysOfSupply(available.longValue(), averageDailyIssue);
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
        Alert previous = null;
        Level declared = declaredLevel(scope, c, abo, rhd, today, level);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as the database keeps it
        List<Alert> changed = new ArrayList<>();
        if (open != null && (declared == null || declared != open.level())) {
            if (declared == null && level != Level.GREEN) {
                return changed; // still short but not yet persistently at a new level: the open alert stands
            }
            RecruitmentCounts counted = open.recruitment(); // as counted up to now: kept on the cleared alert
            em.createNativeQuery("update supply_alert set cleared_at = ?1, recruitment_donations = ?2,"
                            + " recruitment_units = ?3 where id = ?4")
                    .setParameter(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .setParameter(2, counted == null ? null : counted.donationsSince())
                    .setParameter(3, counted == null ? null : counted.unitsSince())
                    .setParameter(4, open.id()).executeUpdate();
            outbox.publish(Events.SUPPLY_ALERT_CLEARED, scope + "|" + c + "|" + abo + "|" + rhd, "alert/" + open.id(),
                    new SupplyAlertCleared(open.id().toString(), scope, c, abo, rhd, now));
            changed.add(new Alert(open.id(), scope, c, abo, rhd, open.level(), open.daysOfSupply(), open.since(), now,
                    counted));
            previous = open;
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
            RecruitmentCounts request = region
                    ? request(id, c, abo, rhd, declared, days, averageDailyIssue, available.longValue(), previous, today, now)
                    : null;
            changed.add(new Alert(id, scope, c, abo, rhd, declared, days, now, null, request));
        }
        return changed;
    }

    /**
     * The recruitment of a region alert just raised: a new request when the group has no alert before it or this one
     * is worse ({@code RecruitmentRequested} through the outbox, in this transaction); the standing request of the
     * alert it replaces when that one was worse (the level improved, the group is still short).
     */
    private RecruitmentCounts request(UUID id, Component c, Abo abo, RhD rhd, Level level, Double days,
                                      Double averageDailyIssue, long onHand, Alert previous, LocalDate today,
                                      Instant now) {
        RecruitmentCounts standing = previous == null ? null : previous.recruitment();
        RecruitmentCounts request;
        if (standing != null && !level.worseThan(previous.level())) {
            request = new RecruitmentCounts(standing.requestedAt(), standing.unitsNeeded(), standing.byDate(),
                    standing.donationsSince(), standing.unitsSince());
        } else {
            int needed = recruitment.unitsNeeded(levels.greenFrom(c.productClass()), averageDailyIssue, onHand);
            request = new RecruitmentCounts(now, needed, recruitment.byDate(today), 0, 0);
            outbox.publish(Events.RECRUITMENT_REQUESTED, c + "|" + abo + "|" + rhd, "alert/" + id,
                    new RecruitmentRequested(id.toString(), c, abo, rhd, level, days, needed, request.byDate(), now));
        }
        em.createNativeQuery("update supply_alert set recruitment_requested_at = ?1, recruitment_units_needed = ?2,"
                        + " recruitment_by_date = ?3 where id = ?4")
                .setParameter(1, io.hemolink.common.db.SqlValues.utc(request.requestedAt()))
                .setParameter(2, request.unitsNeeded()).setParameter(3, request.byDate()).setParameter(4, id)
                .executeUpdate();
        return request;
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
                + " since, cleared_at, recruitment_requested_at, recruitment_units_needed, recruitment_by_date,"
                + " recruitment_donations, recruitment_units from supply_alert " + where + " order by since desc limit 500");
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(r -> {
            Component c = Component.valueOf((String) r[2]);
            Abo abo = Abo.valueOf((String) r[3]);
            RhD rhd = RhD.valueOf((String) r[4]);
            Instant clearedAt = r[8] == null ? null : instant(r[8]);
            return new Alert((UUID) r[0], (String) r[1], c, abo, rhd, Level.valueOf((String) r[5]),
                    r[6] == null ? null : ((Number) r[6]).doubleValue(), instant(r[7]), clearedAt,
                    recruitment(c, abo, rhd, clearedAt, r));
        }).toList();
    }

    /** The recruitment of an alert row: counted now while it is open, as it was when it was cleared. */
    private RecruitmentCounts recruitment(Component c, Abo abo, RhD rhd, Instant clearedAt, Object[] r) {
        if (r[9] == null) {
            return null;
        }
        Instant requestedAt = instant(r[9]);
        int needed = ((Number) r[10]).intValue();
        LocalDate byDate = r[11] == null ? null : r[11] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[11];
        if (clearedAt != null) {
            return new RecruitmentCounts(requestedAt, needed, byDate, r[12] == null ? 0 : ((Number) r[12]).longValue(),
                    r[13] == null ? 0 : ((Number) r[13]).doubleValue());
        }
        Recruitment.Counts counts = recruitment.counts(c, donations.since(abo, rhd, requestedAt));
        return new RecruitmentCounts(requestedAt, needed, byDate, counts.donations(), counts.units());
    }
}

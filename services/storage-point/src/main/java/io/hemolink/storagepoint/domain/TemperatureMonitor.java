package io.hemolink.storagepoint.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.storagepoint.config.StoragePointConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;
import static io.hemolink.common.db.SqlValues.uuid;


/**
 * Temperature readings in, excursions and NO_DATA alerts out. Readings are stored once per (equipment, time), so a
 * repeated batch changes nothing; each piece of equipment is evaluated under its row lock over its stored readings by
 * reading time ({@link ExcursionRule}), so late and out-of-order readings count where they belong. An excursion
 * quarantines every unit in the equipment (held here at once, and ExcursionDetected for the inventory); one stays open
 * per equipment until a reading is back in range.
 */
@ApplicationScoped
public class TemperatureMonitor {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(TemperatureMonitor.class);

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    StoragePointConfig config;

    @Inject
    Replenishment replenishment;

    @Inject
    MeterRegistry registry;

    private Counter storedReadings;
    private Counter duplicateReadings;
    private Counter excursionsStarted;

    @PostConstruct
    void metrics() {
        storedReadings = Counter.builder("hemolink.storage.readings").tag("result", "stored")
                .description("Temperature readings stored").register(registry);
        duplicateReadings = Counter.builder("hemolink.storage.readings").tag("result", "duplicate")
                .description("Temperature readings already stored (changed nothing)").register(registry);
        excursionsStarted = Counter.builder("hemolink.storage.excursions")
                .description("Temperature excursions detected").register(registry);
    }

    /** One reading for one piece of equipment. */
    public record Reading(String equipmentId, Instant at, double celsius) {
    }

    /** What a batch did: readings received, stored for the first time, and the excursions it started. */
    public record Outcome(int received, int stored, List<UUID> excursions) {
    }

    /** Stores and evaluates readings already checked to belong to {@code pointId}'s equipment. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome ingest(String pointId, List<Reading> readings, Instant now) {
        Map<String, List<Reading>> byEquipment = new TreeMap<>();
        for (Reading r : readings) {
            byEquipment.computeIfAbsent(r.equipmentId(), k -> new ArrayList<>()).add(r);
        }
        int stored = 0;
        List<UUID> excursions = new ArrayList<>();
        for (Map.Entry<String, List<Reading>> e : byEquipment.entrySet()) {
            Equipment equipment = Equipment.locked(e.getKey())
                    .filter(q -> pointId.equals(q.storagePointId))
                    .orElseThrow(() -> new IllegalArgumentException("equipment " + e.getKey() + " is not at " + pointId));
            List<Reading> fresh = store(equipment.id, e.getValue());
            stored += fresh.size();
            if (fresh.isEmpty()) {
                continue;
            }
            Reading newest = fresh.stream().max(Comparator.comparing(Reading::at)).orElseThrow();
            if (equipment.lastReadingAt == null || newest.at().isAfter(equipment.lastReadingAt)) {
                equipment.lastReadingAt = newest.at();
                equipment.lastCelsius = newest.celsius();
            }
            if (equipment.lastReadingAt.isAfter(now.minus(config.temperature().noDataAfter()))) {
                clearNoData(equipment.id, now);
            }
            Instant earliest = fresh.stream().map(Reading::at).min(Comparator.naturalOrder()).orElseThrow();
            excursions.addAll(evaluate(equipment, earliest, now));
        }
        storedReadings.increment(stored);
        duplicateReadings.increment(readings.size() - stored);
        excursionsStarted.increment(excursions.size());
        return new Outcome(readings.size(), stored, excursions);
    }

    /** Inserts the readings not stored yet; returns those that were new. */
    private List<Reading> store(String equipmentId, List<Reading> readings) {
        List<Reading> fresh = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into temperature_reading (equipment_id, at, celsius) values (?, ?, ?) on conflict do nothing")) {
                for (Reading r : readings) {
                    ps.setString(1, equipmentId);
                    ps.setObject(2, utc(r.at()));
                    ps.setDouble(3, r.celsius());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        fresh.add(readings.get(i));
                    }
                }
            }
        });
        return fresh;
    }

    private List<UUID> evaluate(Equipment equipment, Instant earliestNew, Instant now) {
        ExcursionRule rule = new ExcursionRule(config.range(equipment.kind), config.temperature().excursionAfter(),
                config.temperature().hardMargin());
        @SuppressWarnings("unchecked")
        List<Object[]> open = em.createNativeQuery("select id, since from excursion where equipment_id = ?1 and ended_at is null")
                .setParameter(1, equipment.id).getResultList();
        UUID openId = open.isEmpty() ? null : uuid(open.get(0)[0]);
        Instant openSince = open.isEmpty() ? null : instant(open.get(0)[1]);
        Object endedRow = em.createNativeQuery("select max(ended_at) from excursion where equipment_id = ?1")
                .setParameter(1, equipment.id).getSingleResult();
        Instant lastEnded = endedRow == null ? null : instant(endedRow);
        Instant from = openSince != null ? openSince : earliestNew.minus(config.temperature().lookback());
        if (openSince == null && lastEnded != null && lastEnded.isAfter(from)) {
            from = lastEnded;
        }
        List<ExcursionRule.Reading> readings = window(equipment.id, from);
        List<UUID> started = new ArrayList<>();
        for (ExcursionRule.Step step : rule.evaluate(readings, openSince, lastEnded)) {
            if (step instanceof ExcursionRule.Started s) {
                openId = start(equipment, s, now);
                started.add(openId);
            } else if (step instanceof ExcursionRule.Ended end && openId != null) {
                em.createNativeQuery("update excursion set ended_at = ?1 where id = ?2")
                        .setParameter(1, utc(end.at())).setParameter(2, openId).executeUpdate();
                openId = null;
            }
        }
        return started;
    }

    private List<ExcursionRule.Reading> window(String equipmentId, Instant from) {
        List<ExcursionRule.Reading> out = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "select at, celsius from temperature_reading where equipment_id = ? and at >= ? order by at")) {
                ps.setString(1, equipmentId);
                ps.setObject(2, utc(from));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ExcursionRule.Reading(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                                rs.getDouble(2)));
                    }
                }
            }
        });
        return out;
    }

    private UUID start(Equipment equipment, ExcursionRule.Started s, Instant now) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into excursion (id, storage_point_id, equipment_id, reason, since, detected_at, min_celsius, max_celsius)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                .setParameter(1, id).setParameter(2, equipment.storagePointId).setParameter(3, equipment.id)
                .setParameter(4, s.reason().name()).setParameter(5, utc(s.since())).setParameter(6, utc(now))
                .setParameter(7, s.minCelsius()).setParameter(8, s.maxCelsius())
                .executeUpdate();
        List<ExcursionDetected.UnitKey> keys = new ArrayList<>();
        for (PointUnit u : PointUnit.inEquipment(equipment.id)) {
            em.createNativeQuery("insert into excursion_unit (excursion_id, din, component, division) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, id).setParameter(2, u.din).setParameter(3, u.component.name())
                    .setParameter(4, u.division).executeUpdate();
            if (u.holdExcursionId == null) {
                u.holdExcursionId = id;
                u.updatedAt = now;
            }
            keys.add(new ExcursionDetected.UnitKey(u.din, u.component.name()));
        }
        outbox.publish(Events.EXCURSION_DETECTED, equipment.storagePointId, "equipment/" + equipment.id,
                new ExcursionDetected(id.toString(), equipment.storagePointId, equipment.id, s.since(), s.minCelsius(),
                        s.maxCelsius(), List.copyOf(keys), now));
        LOG.warnf("excursion %s (%s) in %s since %s: %d unit(s) quarantined", id, s.reason(), equipment.id, s.since(),
                keys.size());
        em.flush();
        replenishment.evaluate(equipment.storagePointId, now);
        return id;
    }

    private void clearNoData(String equipmentId, Instant now) {
        em.createNativeQuery("update equipment_alert set cleared_at = ?1 where equipment_id = ?2 and kind = 'NO_DATA' and cleared_at is null")
                .setParameter(1, utc(now)).setParameter(2, equipmentId).executeUpdate();
    }

    @Scheduled(every = "${hemolink.storage-point.temperature.no-data-check:1m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("temperature-no-data", execution, () -> checkNoData(Instant.now()));
    }

    /**
     * Raises a NO_DATA alert for every piece of equipment without a reading (by reading time) for the configured gap,
     * unless one is open; returns how many were raised.
     */
    public int checkNoData(Instant now) {
        int raised = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        insert into equipment_alert (id, storage_point_id, equipment_id, kind, since, raised_at)
                        select gen_random_uuid(), e.storage_point_id, e.id, 'NO_DATA', coalesce(e.last_reading_at, e.created_at), ?1
                        from equipment e
                        where coalesce(e.last_reading_at, e.created_at) < ?2
                          and not exists (select 1 from equipment_alert a
                                          where a.equipment_id = e.id and a.kind = 'NO_DATA' and a.cleared_at is null)
                        on conflict do nothing""")
                .setParameter(1, utc(now))
                .setParameter(2, utc(now.minus(config.temperature().noDataAfter())))
                .executeUpdate());
        if (raised > 0) {
            LOG.warnf("%d piece(s) of equipment without temperature readings: NO_DATA raised", raised);
        }
        return raised;
    }
}

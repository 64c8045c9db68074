package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.RecallIssued;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;

/**
 * Recall (lookback): station QA recalls a donation, and every unit of it (or of the components named) that is not
 * yet transfused or discarded is quarantined at once wherever it is, through the ledger like every hold (a reserved
 * bag leaves its order, whose line is allocated again; one in transit cannot be received into stock). Transfused
 * units are listed for the transfusing hospital's lookback. Each holder sees only its own units of a recall and
 * acknowledges them; the patient reference of a transfused unit is shown to the hospital that transfused it only.
 * The tables {@code recall} and {@code recall_unit} are read and written here alone.
 */
@ApplicationScoped
public class Recalls {

    private static final Set<UnitStatus> ACTIVE = Set.of(UnitStatus.AVAILABLE, UnitStatus.RESERVED, UnitStatus.IN_TRANSIT);

    /** One unit in a recall, as the reader may see it ({@code patientRef} only for the transfusing hospital). */
    public record RecalledUnit(long unitId, String din, Component component, String division, String locationId,
                               UnitStatus statusBefore, UnitStatus status, String patientRef, Instant acknowledgedAt,
                               String acknowledgedBy) {
    }

    public record Recall(UUID id, long seq, String din, String reason, Instant createdAt, String createdBy,
                         List<RecalledUnit> units) {
    }

    @Inject
    EntityManager em;

    @Inject
    UnitFates fates;

    @Inject
    Outbox outbox;

    /** Recalls {@code din} (canonical); {@code components} null or empty means every component of it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recall issue(String din, List<Component> components, String reason, String actor, Instant now) {
        List<Unit> units = Unit.<Unit>find("din = ?1 order by component, division", din)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list().stream()
                .filter(u -> components == null || components.isEmpty() || components.contains(u.component))
                .toList();
        if (units.isEmpty()) {
            throw DomainException.notFound("donation " + din + (components == null || components.isEmpty() ? ""
                    : " with " + components));
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into recall (id, din, reason, created_by, created_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, din).setParameter(3, reason).setParameter(4, actor)
                .setParameter(5, utc(now)).executeUpdate();
        List<RecallIssued.RecalledUnit> published = new ArrayList<>();
        for (Unit u : units) {
            UnitStatus before = u.status;
            // a bag on its way is the receiving hospital's to set aside when it arrives
            String holder = before == UnitStatus.IN_TRANSIT && u.orderId != null ? destination(u.orderId).orElse(u.locationId)
                    : u.locationId;
            if (ACTIVE.contains(before)) {
                fates.hold(u, "recall " + id + ": " + reason, actor, now);
            }
            em.createNativeQuery("""
                            insert into recall_unit (recall_id, unit_id, location_id, status_before)
                            values (?1, ?2, ?3, ?4)""")
                    .setParameter(1, id).setParameter(2, u.id).setParameter(3, holder).setParameter(4, before.name())
                    .executeUpdate();
            published.add(new RecallIssued.RecalledUnit(u.din, u.component, u.division.isEmpty() ? null : u.division,
                    holder, before, u.status));
        }
        outbox.publish(Events.RECALL_ISSUED, din, "recall/" + id, new RecallIssued(id.toString(), din, reason, published,
                actor, now));
        return find(id, null).orElseThrow();
    }

    /**
     * The recall as {@code holder} sees it: only its own units (null: the station, every unit); empty when it names
     * none of the holder's units.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Recall> find(UUID id, String holder) {
        @SuppressWarnings("unchecked")
        List<Object[]> head = em.createNativeQuery(
                        "select id, seq, din, reason, created_at, created_by from recall where id = ?1")
                .setParameter(1, id).getResultList();
        return withUnits(head, holder).stream().findFirst();
    }

    /** Recalls newest first below {@code beforeSeq}, the holder's own only; one more than {@code limit} when there are more. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Recall> list(String holder, long beforeSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> heads = em.createNativeQuery("""
                        select r.id, r.seq, r.din, r.reason, r.created_at, r.created_by from recall r where r.seq < ?1
                        and (cast(?2 as varchar) is null or exists (select 1 from recall_unit ru
                                                 where ru.recall_id = r.id and ru.location_id = ?2))
                        order by r.seq desc limit ?3""")
                .setParameter(1, beforeSeq).setParameter(2, holder).setParameter(3, limit + 1).getResultList();
        return withUnits(heads, holder);
    }

    /**
     * The holder confirms it has set its unit aside (or told the clinician, for a transfused one). Once: a repeat
     * changes nothing. 404 when the recall names no such unit of the holder's.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recall acknowledge(UUID id, String din, Component component, String division, String holder, String actor,
                              Instant now) {
        Recall visible = find(id, holder).orElseThrow(() -> DomainException.notFound("recall " + id));
        List<RecalledUnit> matching = visible.units().stream()
                .filter(u -> u.din().equals(din) && u.component() == component)
                .filter(u -> division == null || division.equalsIgnoreCase(u.division() == null ? "" : u.division()))
                .toList();
        if (matching.isEmpty()) {
            throw DomainException.notFound("unit " + din + " " + component + " in recall " + id);
        }
        if (matching.size() > 1) {
            throw DomainException.invalid("DIVISION_REQUIRED", "the recall names several divisions of " + component
                    + "; name one with division", "division");
        }
        em.createNativeQuery("""
                        update recall_unit set acknowledged_at = ?1, acknowledged_by = ?2
                        where recall_id = ?3 and unit_id = ?4 and acknowledged_at is null""")
                .setParameter(1, utc(now)).setParameter(2, actor).setParameter(3, id)
                .setParameter(4, matching.get(0).unitId()).executeUpdate();
        return find(id, holder).orElseThrow();
    }

    private Optional<String> destination(String orderId) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select location_id from demand_line where order_id = ?1 limit 1")
                .setParameter(1, orderId).getResultList();
        return rows.stream().findFirst();
    }

    /**
     * The recalls of {@code heads} (id, seq, din, reason, created_at, created_by) with the units {@code holder} may see,
     * read in one query; a recall with none of them is left out.
     */
    private List<Recall> withUnits(List<Object[]> heads, String holder) {
        if (heads.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = heads.stream().map(h -> (UUID) h[0]).toList();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select ru.recall_id, u.id, u.din, u.component, u.division, ru.location_id, ru.status_before,
                               u.status, ru.acknowledged_at, ru.acknowledged_by,
                               (select m.patient_ref from unit_movement m where m.unit_id = u.id and m.type = ?3
                                order by m.id desc limit 1)
                        from recall_unit ru join unit u on u.id = ru.unit_id
                        where ru.recall_id = any(cast(?1 as uuid[])) and (cast(?2 as varchar) is null or ru.location_id = ?2)
                        order by u.component, u.division""")
                .setParameter(1, "{" + String.join(",", ids.stream().map(UUID::toString).toList()) + "}")
                .setParameter(2, holder).setParameter(3, MovementType.TRANSFUSED.name())
                .getResultList();
        java.util.Map<UUID, List<RecalledUnit>> byRecall = new java.util.HashMap<>();
        for (Object[] r : rows) {
            String location = (String) r[5];
            UnitStatus status = UnitStatus.valueOf((String) r[7]);
            // the patient reference only to the hospital that transfused the unit, never to the station or others
            String patientRef = holder != null && holder.equals(location) && status == UnitStatus.TRANSFUSED
                    ? (String) r[10] : null;
            String division = (String) r[4];
            byRecall.computeIfAbsent((UUID) r[0], k -> new ArrayList<>()).add(new RecalledUnit(
                    ((Number) r[1]).longValue(), ((String) r[2]).strip(), Component.valueOf((String) r[3]),
                    division == null || division.isEmpty() ? null : division, location,
                    UnitStatus.valueOf((String) r[6]), status, patientRef, instant(r[8]), (String) r[9]));
        }
        List<Recall> out = new ArrayList<>();
        for (Object[] h : heads) {
            List<RecalledUnit> units = byRecall.get((UUID) h[0]);
            if (units != null) {
                out.add(new Recall((UUID) h[0], ((Number) h[1]).longValue(), ((String) h[2]).strip(), (String) h[3],
                        instant(h[4]), (String) h[5], units));
            }
        }
        return out;
    }
}

package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.inventory.MovementType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One line of the stock ledger. Append-only: movements are never updated or deleted. */
@Entity
@Table(name = "unit_movement")
public class UnitMovement extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public long unitId;

    @Enumerated(EnumType.STRING)
    public MovementType type;

    public String fromLocationId;

    public String toLocationId;

    @Enumerated(EnumType.STRING)
    public UnitStatus statusAfter;

    public String orderId;

    public String reason;

    /** Why the unit was wasted: on DISCARDED and EXPIRED movements only. */
    @Enumerated(EnumType.STRING)
    public DiscardReason reasonCode;

    public String patientRef;

    public String actor;

    public Instant occurredAt;

    public Instant recordedAt;

    public static List<UnitMovement> history(long unitId) {
        return list("unitId = ?1 order by id", unitId);
    }

    /** A transfusion the ledger holds (a storage point's issue to a patient, or a fate a hospital recorded). */
    public record Transfusion(UnitMovement movement, Unit unit) {
    }

    /**
     * A page of transfusions in ledger order after {@code afterId}: at {@code locationId} (null: every location), of
     * the unit {@code unitId} (null: any), to the patient {@code patientRef} (null: any). The FHIR facade's
     * BiologicallyDerivedProductDispense search and read.
     */
    public static List<Transfusion> transfusions(String locationId, Long unitId, String patientRef, long afterId,
                                                 int limit) {
        StringBuilder q = new StringBuilder("select m, u from UnitMovement m, Unit u where u.id = m.unitId"
                + " and m.type = :type and m.id > :after");
        if (locationId != null) {
            q.append(" and m.toLocationId = :location");
        }
        if (unitId != null) {
            q.append(" and m.unitId = :unit");
        }
        if (patientRef != null) {
            q.append(" and m.patientRef = :patient");
        }
        var query = getEntityManager().createQuery(q + " order by m.id", Object[].class)
                .setParameter("type", MovementType.TRANSFUSED).setParameter("after", afterId).setMaxResults(limit);
        if (locationId != null) {
            query.setParameter("location", locationId);
        }
        if (unitId != null) {
            query.setParameter("unit", unitId);
        }
        if (patientRef != null) {
            query.setParameter("patient", patientRef);
        }
        return query.getResultList().stream().map(r -> new Transfusion((UnitMovement) r[0], (Unit) r[1])).toList();
    }

    /**
     * The ledger's receipts at hospitals and storage points and its wastes in [from, to), counted by location (where
     * the unit was received, or wasted), component, ABO group, month of {@code zone} and reason code (null for a
     * receipt), from the partial index {@code unit_movement_wastage}.
     */
    @SuppressWarnings("unchecked")
    public static List<WastageReport.Count> wastage(Instant from, Instant to, java.time.ZoneId zone) {
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        select case when m.type = 'RECEIVED_AT_HOSPITAL' then m.to_location_id else m.from_location_id end,
                               u.component, u.abo, to_char(m.occurred_at at time zone ?3, 'YYYY-MM'), m.reason_code,
                               count(*)
                        from unit_movement m join unit u on u.id = m.unit_id
                        where m.type in ('RECEIVED_AT_HOSPITAL', 'DISCARDED', 'EXPIRED')
                          and m.occurred_at >= ?1 and m.occurred_at < ?2
                        group by 1, 2, 3, 4, 5""")
                .setParameter(1, io.hemolink.common.db.SqlValues.utc(from))
                .setParameter(2, io.hemolink.common.db.SqlValues.utc(to))
                .setParameter(3, zone.getId())
                .getResultList();
        return rows.stream().map(r -> new WastageReport.Count((String) r[0],
                io.hemolink.contracts.blood.Component.valueOf((String) r[1]),
                io.hemolink.contracts.blood.Abo.valueOf((String) r[2]), (String) r[3],
                r[4] == null ? null : DiscardReason.valueOf((String) r[4]), ((Number) r[5]).longValue())).toList();
    }
}

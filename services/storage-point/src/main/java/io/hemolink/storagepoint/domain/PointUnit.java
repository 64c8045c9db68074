package io.hemolink.storagepoint.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.blood.Uom;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A unit at a storage point as this service sees it: projected from the inventory's UnitMoved events (AVAILABLE or
 * QUARANTINED there), with the equipment it sits in. {@link #holdExcursionId} is a quarantine this service applied
 * itself on an excursion, kept until station QA decides, whatever the inventory reports meanwhile.
 */
@Entity
@Table(name = "point_unit")
public class PointUnit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(columnDefinition = "bpchar")
    public String din;

    @Enumerated(EnumType.STRING)
    public Component component;

    public String division;

    public String storagePointId;

    public String equipmentId;

    @Enumerated(EnumType.STRING)
    public Abo abo;

    @Enumerated(EnumType.STRING)
    public RhD rhd;

    public int quantity;

    @Enumerated(EnumType.STRING)
    public Uom uom;

    public Instant expiresAt;

    @Enumerated(EnumType.STRING)
    public UnitStatus status;

    public UUID holdExcursionId;

    public Instant arrivedAt;

    public Instant updatedAt;

    /** Special attributes, as the inventory's last UnitMoved said (none for events older than 2026-12). */
    @jakarta.persistence.Embedded
    public io.hemolink.common.db.SpecialAttributeColumns special = new io.hemolink.common.db.SpecialAttributeColumns();

    public io.hemolink.contracts.blood.UnitAttributes attributes() {
        return special.toAttributes(null);
    }

    /** QUARANTINED when the inventory says so or an excursion here put it on hold. */
    public boolean quarantined() {
        return holdExcursionId != null || status == UnitStatus.QUARANTINED;
    }

    public boolean expiredAt(Instant at) {
        return expiresAt != null && !expiresAt.isAfter(at);
    }

    public static Optional<PointUnit> lockedKey(String din, Component component, String division) {
        return find("din = ?1 and component = ?2 and division = ?3", din, component, division == null ? "" : division)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The units of {@code din} and {@code component} at {@code pointId}, locked (several only for split donations). */
    public static List<PointUnit> lockedAt(String pointId, String din, Component component) {
        return find("storagePointId = ?1 and din = ?2 and component = ?3 order by division", pointId, din, component)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    public static List<PointUnit> inEquipment(String equipmentId) {
        return find("equipmentId = ?1 order by din, component, division", equipmentId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}

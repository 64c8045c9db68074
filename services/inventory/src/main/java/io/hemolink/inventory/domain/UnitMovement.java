package io.hemolink.inventory.domain;

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

    public String patientRef;

    public String actor;

    public Instant occurredAt;

    public Instant recordedAt;

    public static List<UnitMovement> history(long unitId) {
        return list("unitId = ?1 order by id", unitId);
    }
}

package io.hemolink.storagepoint.domain;

import io.hemolink.contracts.blood.EquipmentKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A fridge, agitator or freezer of a storage point, with its last reading by reading time. */
@Entity
@Table(name = "equipment")
public class Equipment extends PanacheEntityBase {

    @Id
    public String id;

    public String storagePointId;

    @Enumerated(EnumType.STRING)
    public EquipmentKind kind;

    public Instant lastReadingAt;

    public Double lastCelsius;

    public Instant createdAt;

    public static List<Equipment> ofPoint(String pointId) {
        return list("storagePointId = ?1 order by id", pointId);
    }

    /** The equipment locked for the evaluation of its readings. */
    public static Optional<Equipment> locked(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Where a unit of {@code kind} goes at {@code pointId} when nobody said: the first such equipment by id. */
    public static Optional<Equipment> firstOfKind(String pointId, EquipmentKind kind) {
        return find("storagePointId = ?1 and kind = ?2 order by id", pointId, kind).firstResultOptional();
    }
}

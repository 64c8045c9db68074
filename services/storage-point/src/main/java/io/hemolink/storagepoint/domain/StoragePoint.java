package io.hemolink.storagepoint.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** A storage point (储血点): station stock hosted by a hospital. */
@Entity
@Table(name = "storage_point")
public class StoragePoint extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public String hostHospitalId;

    public Instant createdAt;

    public static Optional<StoragePoint> byId(String id) {
        return id == null ? Optional.empty() : findByIdOptional(id);
    }

    /** The point locked for a change of its stock picture: serialises par-level evaluations of one point. */
    public static Optional<StoragePoint> locked(String id) {
        return id == null ? Optional.empty() : findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }
}

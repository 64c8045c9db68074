package io.hemolink.order.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** A place blood is held or ordered for: the station, a hospital, or a storage point hosted by a hospital. */
@Entity
@Table(name = "location")
public class Location extends PanacheEntityBase {

    public enum Kind {
        STATION, HOSPITAL, STORAGE_POINT
    }

    @Id
    public String id;

    public String name;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    /** The hospital hosting a storage point; null for other kinds. */
    public String hostHospitalId;

    public Instant createdAt;

    public Instant updatedAt;

    public static List<Location> page(String after, int limit) {
        return after == null ? find("order by id").page(0, limit).list()
                : find("id > ?1 order by id", after).page(0, limit).list();
    }
}

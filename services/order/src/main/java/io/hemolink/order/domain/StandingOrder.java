package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Priority;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** An order that repeats on days of the week at a time of day (in the station's zone); lines kept as JSON. */
@Entity
@Table(name = "standing_order")
public class StandingOrder extends PanacheEntityBase {

    @Id
    public String id;

    public String locationId;

    /** Comma-separated {@link DayOfWeek} names. */
    public String daysOfWeek;

    public LocalTime timeOfDay;

    @Enumerated(EnumType.STRING)
    public Priority priority;

    public boolean allowSubstitution;

    /** JSON array of {@link Orders.NewLine}. */
    public String lines;

    public String notes;

    public String createdBy;

    public Instant createdAt;

    /** Set when deleted: no further occurrences. */
    public Instant deletedAt;

    public Set<DayOfWeek> days() {
        if (daysOfWeek == null || daysOfWeek.isBlank()) {
            return EnumSet.noneOf(DayOfWeek.class);
        }
        return Arrays.stream(daysOfWeek.split(",")).map(DayOfWeek::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(DayOfWeek.class)));
    }

    public void days(Collection<DayOfWeek> days) {
        daysOfWeek = EnumSet.copyOf(days).stream().map(DayOfWeek::name).collect(Collectors.joining(","));
    }
}

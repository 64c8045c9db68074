package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Priority;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * The delivery deadline ({@code dueBy}) of an order from its priority (domain.md): EMERGENCY and URGENT within a
 * fixed time of submission; ROUTINE with the next scheduled delivery run that is at least {@code routineCutoff}
 * away, runs being at fixed times of day every day in the station's zone. Plain Java, unit-tested.
 */
public final class ServiceLevels {

    private final Duration emergency;
    private final Duration urgent;
    private final List<LocalTime> runs;
    private final Duration routineCutoff;
    private final ZoneId zone;

    public ServiceLevels(Duration emergency, Duration urgent, List<LocalTime> runs, Duration routineCutoff, ZoneId zone) {
        this.emergency = Objects.requireNonNull(emergency, "emergency");
        this.urgent = Objects.requireNonNull(urgent, "urgent");
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("at least one routine delivery run is needed");
        }
        this.runs = runs.stream().sorted().distinct().toList();
        this.routineCutoff = routineCutoff == null ? Duration.ZERO : routineCutoff;
        if (this.routineCutoff.isNegative()) {
            throw new IllegalArgumentException("the routine cut-off cannot be negative");
        }
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public Instant dueBy(Priority priority, Instant submittedAt) {
        return switch (priority) {
            case EMERGENCY -> submittedAt.plus(emergency);
            case URGENT -> submittedAt.plus(urgent);
            case ROUTINE -> nextRun(submittedAt.plus(routineCutoff));
        };
    }

    /** The first delivery run at or after {@code earliest}. */
    public Instant nextRun(Instant earliest) {
        LocalDate day = earliest.atZone(zone).toLocalDate();
        for (int i = 0; i < 3; i++) {
            for (LocalTime run : runs) {
                // atZone resolves a run in a DST gap to the later valid time
                ZonedDateTime at = day.plusDays(i).atTime(run).atZone(zone);
                if (!at.toInstant().isBefore(earliest)) {
                    return at.toInstant();
                }
            }
        }
        throw new IllegalStateException("no delivery run within three days of " + earliest);
    }

    public ZoneId zone() {
        return zone;
    }
}

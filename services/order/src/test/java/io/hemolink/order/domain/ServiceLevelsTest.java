package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Priority;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** dueBy from priority, and when a standing order's occurrence is due: plain Java. */
class ServiceLevelsTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final ServiceLevels levels = new ServiceLevels(Duration.ofMinutes(60), Duration.ofHours(4),
            List.of(LocalTime.of(15, 0), LocalTime.of(9, 0)), Duration.ofMinutes(30), SHANGHAI);

    private static Instant shanghai(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 11, day, hour, minute, 0, 0, SHANGHAI).toInstant();
    }

    @Test
    void emergencyAndUrgentAreFixedTimesAfterSubmission() {
        Instant at = shanghai(23, 10, 17);
        assertEquals(at.plus(Duration.ofMinutes(60)), levels.dueBy(Priority.EMERGENCY, at));
        assertEquals(at.plus(Duration.ofHours(4)), levels.dueBy(Priority.URGENT, at));
    }

    @Test
    void routineGoesWithTheNextRunThatIsAtLeastTheCutOffAway() {
        assertEquals(shanghai(23, 9, 0), levels.dueBy(Priority.ROUTINE, shanghai(23, 7, 0)));
        assertEquals(shanghai(23, 9, 0), levels.dueBy(Priority.ROUTINE, shanghai(23, 8, 30)), "exactly at the cut-off");
        assertEquals(shanghai(23, 15, 0), levels.dueBy(Priority.ROUTINE, shanghai(23, 8, 31)), "too late for 09:00");
        assertEquals(shanghai(23, 15, 0), levels.dueBy(Priority.ROUTINE, shanghai(23, 12, 0)));
    }

    @Test
    void routineAfterTheLastRunOfTheDayGoesNextMorningInTheStationsZone() {
        assertEquals(shanghai(24, 9, 0), levels.dueBy(Priority.ROUTINE, shanghai(23, 14, 45)));
        assertEquals(shanghai(24, 9, 0), levels.dueBy(Priority.ROUTINE, shanghai(23, 23, 59)));
        // 01:00 UTC is 09:00 in Shanghai: the run is in the station's zone, not UTC
        assertEquals(Instant.parse("2026-11-24T01:00:00Z"), levels.dueBy(Priority.ROUTINE, Instant.parse("2026-11-23T08:00:00Z")));
    }

    @Test
    void aScheduleNeedsARun() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServiceLevels(Duration.ofMinutes(60), Duration.ofHours(4), List.of(), Duration.ZERO, SHANGHAI));
    }

    @Test
    void aStandingOrderIsDueOnItsDaysOnceItsTimeHasComeAndNotBeforeItExisted() {
        Instant created = shanghai(1, 0, 0);
        // 2026-11-23 is a Monday
        EnumSet<DayOfWeek> mondays = EnumSet.of(DayOfWeek.MONDAY);
        LocalTime eight = LocalTime.of(8, 0);
        assertEquals(Optional.empty(), StandingOrders.dueOccurrence(mondays, eight, created, shanghai(23, 7, 59), SHANGHAI));
        assertEquals(Optional.of(LocalDate.of(2026, 11, 23)),
                StandingOrders.dueOccurrence(mondays, eight, created, shanghai(23, 8, 0), SHANGHAI));
        assertEquals(Optional.of(LocalDate.of(2026, 11, 23)),
                StandingOrders.dueOccurrence(mondays, eight, created, shanghai(23, 22, 0), SHANGHAI), "caught up later that day");
        assertEquals(Optional.empty(), StandingOrders.dueOccurrence(mondays, eight, created, shanghai(24, 9, 0), SHANGHAI),
                "not on a Tuesday");
        assertEquals(Optional.empty(), StandingOrders.dueOccurrence(mondays, eight, shanghai(23, 10, 0), shanghai(23, 11, 0),
                SHANGHAI), "created after today's time: first occurrence next week");
    }
}

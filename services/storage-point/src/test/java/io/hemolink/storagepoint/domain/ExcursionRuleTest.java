package io.hemolink.storagepoint.domain;

import io.hemolink.contracts.blood.TemperatureRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExcursionRuleTest {

    private static final Instant T = Instant.parse("2026-11-23T00:00:00Z");
    private final ExcursionRule fridge = new ExcursionRule(TemperatureRange.between(2, 6), Duration.ofMinutes(30), 2.0);

    private static ExcursionRule.Reading r(int minute, double celsius) {
        return new ExcursionRule.Reading(T.plus(Duration.ofMinutes(minute)), celsius);
    }

    @Test
    void outOfRangeForThirtyMinutesIsNotYetAnExcursionButLongerIs() {
        assertTrue(fridge.evaluate(List.of(r(0, 7), r(15, 7), r(30, 7)), null, null).isEmpty());
        assertEquals(List.of(new ExcursionRule.Started(T, T.plus(Duration.ofMinutes(31)), ExcursionRule.Reason.DURATION, 7, 7.5)),
                fridge.evaluate(List.of(r(0, 7), r(15, 7.5), r(31, 7)), null, null));
    }

    @Test
    void anInRangeReadingBreaksTheRun() {
        assertTrue(fridge.evaluate(List.of(r(0, 7), r(20, 4), r(25, 7), r(50, 7)), null, null).isEmpty());
    }

    @Test
    void aHardLimitReadingIsAnExcursionAtOnceAndBackInRangeEndsIt() {
        List<ExcursionRule.Step> steps = fridge.evaluate(List.of(r(0, 4), r(1, 7.5), r(2, 9), r(3, 5)), null, null);
        assertEquals(List.of(new ExcursionRule.Started(T.plus(Duration.ofMinutes(1)), T.plus(Duration.ofMinutes(2)),
                ExcursionRule.Reason.HARD_LIMIT, 7.5, 9), new ExcursionRule.Ended(T.plus(Duration.ofMinutes(3)))), steps);
        assertFalse(fridge.beyondHardLimit(8.0));
        assertTrue(fridge.beyondHardLimit(-0.5));
    }

    @Test
    void whileOpenNothingStartsAndRunsBeforeTheLastEndAreNotCountedAgain() {
        assertTrue(fridge.evaluate(List.of(r(10, 20), r(50, 20)), T, null).isEmpty(), "open since T");
        assertTrue(fridge.evaluate(List.of(r(0, 20), r(5, 20)), null, T.plus(Duration.ofMinutes(5))).isEmpty());
        assertEquals(1, fridge.evaluate(List.of(r(0, 20), r(6, 20)), null, T.plus(Duration.ofMinutes(5))).size());
    }
}

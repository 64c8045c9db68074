package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RationingTest {

    private final Rationing rationing = new Rationing(new Rationing.Cuts(0.3, 0.5, 0.7));
    private static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");

    private static Rationing.Claim claim(String order, String location, Priority priority, int quantity, int minutesLater) {
        return new Rationing.Claim(order, 1, location, priority, quantity, 0, T0.plusSeconds(3600 + 60L * minutesLater),
                T0.plusSeconds(60L * minutesLater));
    }

    /** Hands out {@code bags} one-unit bags and returns what each order got. */
    private static Map<String, Integer> handOut(Rationing.Round round, List<Rationing.Claim> claims, int bags) {
        for (int i = 0; i < bags; i++) {
            Optional<Rationing.Claim> next = round.next();
            if (next.isEmpty()) {
                break;
            }
            round.given(next.get(), 1);
        }
        Map<String, Integer> got = new LinkedHashMap<>();
        claims.forEach(c -> got.put(c.orderId(), round.allocated(c)));
        return got;
    }

    @ParameterizedTest(name = "ROUTINE {0} U at {1}: entitled to {2} U")
    @CsvSource({"10, GREEN, 10", "10, YELLOW, 7", "10, ORANGE, 5", "10, RED, 3", "1, RED, 1", "4, YELLOW, 3", "3, ORANGE, 2"})
    void routineLinesAreCutByTheLevelsShare(int quantity, Level level, int entitled) {
        assertEquals(entitled, rationing.entitlement(Priority.ROUTINE, quantity, level));
    }

    @ParameterizedTest(name = "{0} lines are never cut at RED")
    @CsvSource({"EMERGENCY", "URGENT"})
    void emergencyAndUrgentAreNeverCut(Priority priority) {
        assertEquals(10, rationing.entitlement(priority, 10, Level.RED));
    }

    @Test
    void noLevelMeansNoCut() {
        assertEquals(6, rationing.entitlement(Priority.ROUTINE, 6, null));
    }

    @Test
    void emergencyBeforeUrgentBeforeRoutineWhateverTheOrderOfArrival() {
        List<Rationing.Claim> claims = List.of(
                claim("routine", "H001", Priority.ROUTINE, 2, 0),
                claim("urgent", "H002", Priority.URGENT, 2, 5),
                claim("emergency", "H003", Priority.EMERGENCY, 2, 10));
        Map<String, Integer> got = handOut(rationing.round(claims, null, Map.of()), claims, 3);
        assertEquals(Map.of("routine", 0, "urgent", 1, "emergency", 2), got);
    }

    @Test
    void withoutShortageRoutineIsServedByDueTimeThenArrival() {
        List<Rationing.Claim> claims = List.of(
                claim("first", "H001", Priority.ROUTINE, 2, 0),
                claim("second", "H002", Priority.ROUTINE, 2, 5));
        // H002 has far fewer days of supply, but without a shortage need does not reorder the queue
        Map<String, Rationing.Need> needs = Map.of("H001", new Rationing.Need(50, 1.0), "H002", new Rationing.Need(0, 1.0));
        assertEquals(Map.of("first", 2, "second", 1), handOut(rationing.round(claims, Level.GREEN, needs), claims, 3));
    }

    @Test
    void underShortageRoutineStockGoesToTheNeediestAndIsSharedByWaterFilling() {
        List<Rationing.Claim> claims = List.of(
                claim("a", "H001", Priority.ROUTINE, 10, 0),  // asked first, 4 days of supply
                claim("b", "H002", Priority.ROUTINE, 10, 5)); // 1 day of supply
        Map<String, Rationing.Need> needs = Map.of("H001", new Rationing.Need(8, 2.0), "H002", new Rationing.Need(2, 2.0));
        Rationing.Round round = rationing.round(claims, Level.ORANGE, needs);
        // H002 (1 day) gets every bag while its projection is below H001's 4 days, until ORANGE's cut of half
        // stops it at 5 of its 10; the sixth bag goes to H001
        Map<String, Integer> got = handOut(round, claims, 6);
        assertEquals(Map.of("a", 1, "b", 5), got);
        got = handOut(round, claims, 10);
        assertEquals(Map.of("a", 5, "b", 5), got, "each gets its entitlement and no more");
        assertTrue(round.next().isEmpty());
    }

    @Test
    void underShortageEqualNeedAlternates() {
        List<Rationing.Claim> claims = List.of(
                claim("a", "H001", Priority.ROUTINE, 10, 0),
                claim("b", "H002", Priority.ROUTINE, 10, 5));
        Map<String, Rationing.Need> needs = Map.of("H001", new Rationing.Need(4, 2.0), "H002", new Rationing.Need(4, 2.0));
        assertEquals(Map.of("a", 2, "b", 2), handOut(rationing.round(claims, Level.RED, needs), claims, 4));
    }

    @Test
    void aLocationWithoutIssueHistoryComesAfterMeasuredNeed() {
        List<Rationing.Claim> claims = List.of(
                claim("unknown", "H009", Priority.ROUTINE, 2, 0),
                claim("known", "H001", Priority.ROUTINE, 2, 5));
        Map<String, Rationing.Need> needs = Map.of("H001", new Rationing.Need(100, 1.0));
        assertEquals(Map.of("unknown", 0, "known", 1), handOut(rationing.round(claims, Level.YELLOW, needs), claims, 1));
    }

    @Test
    void anExhaustedLineIsPassedOver() {
        List<Rationing.Claim> claims = List.of(claim("a", "H001", Priority.URGENT, 2, 0), claim("b", "H002", Priority.ROUTINE, 2, 5));
        Rationing.Round round = rationing.round(claims, null, Map.of());
        round.exhausted(claims.get(0));
        assertEquals("b", round.next().orElseThrow().orderId());
    }

    @Test
    void whatWasAllocatedBeforeCountsAgainstTheEntitlement() {
        Rationing.Claim topUp = new Rationing.Claim("a", 1, "H001", Priority.ROUTINE, 10, 3, T0, T0);
        Rationing.Round round = rationing.round(List.of(topUp), Level.RED, Map.of());
        assertTrue(round.next().isEmpty(), "3 of 10 is the whole entitlement at RED");
        assertEquals(7, rationing.round(List.of(topUp), Level.GREEN, Map.of()).remaining(topUp));
    }

    @Test
    void cutsAreShares() {
        assertThrows(IllegalArgumentException.class, () -> new Rationing.Cuts(0.3, 0.5, 1.2));
    }
}

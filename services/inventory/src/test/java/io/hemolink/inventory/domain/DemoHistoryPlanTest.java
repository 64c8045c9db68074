package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo history's plan, over many seeds, clocks (around the station's midnight too) and scales: every
 * transfusion at a hospital inside the issue window, every key transfused in the last week; each bag's life in order and within its shelf life; what is left
 * in stock far from expiry; unique DINs; the same seed and clock give the same plan.
 */
class DemoHistoryPlanTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final List<String> HOSPITALS = List.of("H001", "H002", "H003");

    @Test
    void everyPlanKeepsTheDomainRules() {
        Instant base = Instant.parse("2026-12-01T15:00:00Z");
        List<Instant> clocks = List.of(base, Instant.parse("2026-12-01T16:10:00Z") /* 00:10 in Shanghai */,
                Instant.parse("2026-11-30T15:59:00Z") /* 23:59 */, Instant.parse("2027-03-01T03:00:00Z"));
        for (long seed = 1; seed <= 12; seed++) {
            for (Instant now : clocks) {
                check(DemoHistoryPlan.plan(now, ZONE, 27, seed % 3 == 0 ? 1.0 : 0.25, HOSPITALS, seed), now, seed);
            }
        }
    }

    private static void check(DemoHistoryPlan.Plan plan, Instant now, long seed) {
        String where = "seed " + seed + " at " + now;
        LocalDate windowStart = LocalDate.ofInstant(now, ZONE).minusDays(27);
        Set<String> transfusedKeys = new HashSet<>();
        Set<String> dins = new HashSet<>();
        Map<Integer, List<DemoHistoryPlan.Move>> lives = new HashMap<>();
        for (DemoHistoryPlan.Move m : plan.moves()) {
            lives.computeIfAbsent(m.bag(), k -> new ArrayList<>()).add(m);
        }
        Instant previousMove = Instant.MIN;
        for (DemoHistoryPlan.Move m : plan.moves()) {
            assertFalse(m.at().isBefore(previousMove), where + ": the plan is in time order");
            previousMove = m.at();
        }
        for (DemoHistoryPlan.Bag b : plan.bags()) {
            assertTrue(dins.add(b.din()), where + ": DIN " + b.din() + " once");
            assertEquals(b.collectedAt().plus(b.component().shelfLife()), b.expiresAt(), where + ": expiry from shelf life");
            List<DemoHistoryPlan.Move> life = lives.get(b.index());
            assertEquals(DemoHistoryPlan.Step.RELEASE, life.get(0).step(), where + ": released first");
            assertTrue(life.get(0).at().isAfter(b.collectedAt()), where + ": released after collection");
            Instant previous = b.collectedAt();
            for (DemoHistoryPlan.Move m : life) {
                assertTrue(m.at().isAfter(previous) || m.step() == DemoHistoryPlan.Step.RELEASE, where + ": " + b.din()
                        + " moves forward in time");
                assertTrue(m.at().isBefore(now), where + ": " + b.din() + " nothing in the future");
                assertFalse(m.at().isAfter(b.expiresAt()), where + ": " + b.din() + " nothing after its expiry");
                previous = m.at();
                if (m.step() == DemoHistoryPlan.Step.TRANSFUSE) {
                    assertTrue(m.at().isBefore(b.expiresAt()), where + ": transfused before expiry");
                    assertTrue(LocationId.isHospital(m.location()));
                    if (m.at().isAfter(now.minus(Duration.ofDays(7)).minus(Duration.ofHours(1)))) {
                        transfusedKeys.add(b.component() + "|" + b.abo() + "|" + b.rhd());
                    }
                    assertFalse(LocalDate.ofInstant(m.at(), ZONE).isBefore(windowStart), where + ": inside the window");
                }
            }
            DemoHistoryPlan.Step last = life.get(life.size() - 1).step();
            boolean inStock = last == DemoHistoryPlan.Step.RELEASE || last == DemoHistoryPlan.Step.RECEIPT
                    || last == DemoHistoryPlan.Step.RETURN;
            if (inStock) {
                Duration left = Duration.between(now, b.expiresAt());
                assertTrue(left.compareTo(Duration.ofHours(12)) > 0, where + ": " + b.din() + " " + b.component()
                        + " left in stock with " + left + " to go");
            }
            assertFalse(last == DemoHistoryPlan.Step.DISPATCH, where + ": nothing left in transit");
        }
        assertEquals(Component.values().length * Abo.values().length * RhD.values().length, transfusedKeys.size(),
                where + ": every key transfused in the last week (so in the window for three weeks more)");
    }

    @Test
    void theSameSeedAndClockGiveTheSamePlanAndBadArgumentsAreRefused() {
        Instant now = Instant.parse("2026-12-01T15:00:00Z");
        assertEquals(DemoHistoryPlan.plan(now, ZONE, 27, 0.5, HOSPITALS, 7), DemoHistoryPlan.plan(now, ZONE, 27, 0.5, HOSPITALS, 7));
        assertThrows(IllegalArgumentException.class, () -> DemoHistoryPlan.plan(now, ZONE, 27, 1, List.of("SP01"), 7));
        assertThrows(IllegalArgumentException.class, () -> DemoHistoryPlan.plan(now, ZONE, 1, 1, HOSPITALS, 7));
        assertThrows(IllegalArgumentException.class, () -> DemoHistoryPlan.plan(now, ZONE, 27, 0, HOSPITALS, 7));
    }
}

package io.hemolink.feewaiver.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule sets apply by date: the deployment names one, its region's versions succeed each other. */
class RuleBookTest {

    @Test
    void shandongAppliesFrom2024ThroughTheEndOf2029() {
        RuleBook book = ConfiguredRules.book("SD-2024");
        assertTrue(book.inEffectOn(LocalDate.of(2023, 12, 31)).isEmpty());
        assertEquals("SD-2024", book.inEffectOn(LocalDate.of(2024, 1, 1)).orElseThrow().id());
        assertEquals("SD-2024", book.inEffectOn(LocalDate.of(2029, 12, 31)).orElseThrow().id());
        assertTrue(book.inEffectOn(LocalDate.of(2030, 1, 1)).isEmpty());
    }

    @Test
    void aNewVersionTakesOverOnItsEffectiveDate() {
        RuleSet base = ConfiguredRules.book("ZJ-2025").selected();
        RuleSet until2027 = copy(base, "ZJ-2025", LocalDate.of(2025, 1, 1), LocalDate.of(2027, 1, 1), base.relativeClasses());
        RuleSet from2027 = copy(base, "ZJ-2027", LocalDate.of(2027, 1, 1), null,
                Set.of(Relation.SPOUSE, Relation.PARENT, Relation.CHILD, Relation.SIBLING));
        RuleBook book = new RuleBook(List.of(until2027, from2027), "ZJ-2025", ConfiguredRules.book("ZJ-2025").prices());
        assertEquals("ZJ-2025", book.inEffectOn(LocalDate.of(2026, 12, 31)).orElseThrow().id());
        RuleSet later = book.inEffectOn(LocalDate.of(2027, 1, 1)).orElseThrow();
        assertEquals("ZJ-2027", later.id());
        assertTrue(later.covers(Relation.SIBLING));
        assertTrue(book.inEffectOn(LocalDate.of(2024, 12, 31)).isEmpty(), "before the first version nothing applies");
    }

    @Test
    void overlappingVersionsOrAnUnknownSelectionStopTheStart() {
        RuleSet base = ConfiguredRules.book("ZJ-2025").selected();
        RuleSet open = copy(base, "ZJ-2025", LocalDate.of(2025, 1, 1), null, base.relativeClasses());
        RuleSet next = copy(base, "ZJ-2027", LocalDate.of(2027, 1, 1), null, base.relativeClasses());
        PriceList prices = ConfiguredRules.book("ZJ-2025").prices();
        assertThrows(IllegalArgumentException.class, () -> new RuleBook(List.of(open, next), "ZJ-2025", prices));
        assertThrows(IllegalArgumentException.class, () -> new RuleBook(List.of(open), "XX-2020", prices));
        assertThrows(IllegalArgumentException.class, () -> ConfiguredRules.book("NO-SUCH"));
    }

    @Test
    void everyComponentHasAPriceAndAVolume() {
        PriceList prices = ConfiguredRules.book("ZJ-2025").prices();
        assertEquals(new BigDecimal("220.00"), prices.yuanPerUnit(io.hemolink.contracts.blood.Component.RBC));
        assertEquals(0, new BigDecimal("800").compareTo(prices.mlPerUnit(io.hemolink.contracts.blood.Component.PLT_AP)));
        assertThrows(IllegalArgumentException.class, () -> new PriceList(Map.of(), Map.of()));
    }

    static RuleSet copy(RuleSet r, String id, LocalDate from, LocalDate to, Set<Relation> classes) {
        return new RuleSet(id, r.region(), from, to, r.unit(), r.self(), r.relatives(), classes, r.lifetimeThresholdMl(),
                r.plateletDonorLifetime(), r.rhdNegativeLifetime(), r.plateletDonationMl(), r.earn());
    }
}

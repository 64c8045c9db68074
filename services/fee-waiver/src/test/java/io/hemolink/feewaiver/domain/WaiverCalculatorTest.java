package io.hemolink.feewaiver.domain;

import io.hemolink.contracts.blood.Component;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several pools on one bill, and the rounding that never waives more than an entitlement. */
class WaiverCalculatorTest {

    final PriceList prices = ConfiguredRules.book("ZJ-2025").prices();

    static WaiverCalculator.Candidate ml(long donor, Relation relation, String remaining) {
        return new WaiverCalculator.Candidate(donor, "D" + donor, relation,
                relation == null ? RuleSet.PoolKind.SELF : RuleSet.PoolKind.RELATIVES, RuleSet.Unit.ML,
                remaining == null ? null : new BigDecimal(remaining));
    }

    @Test
    void selfFirstThenARelativesPool_1000mlPlus600mlCover8URbc1760() {
        WaiverCalculator.Result r = WaiverCalculator.compute(
                List.of(new WaiverCalculator.Item(Component.RBC, new BigDecimal("8"), new BigDecimal("1760"))), null,
                List.of(ml(1, null, "1000"), ml(2, Relation.SPOUSE, "600")), prices);
        assertEquals(new BigDecimal("1760.00"), r.waivableYuan());
        assertEquals(2, r.draws().size());
        assertEquals(new BigDecimal("1100.00"), r.draws().get(0).yuan());
        assertEquals(0, new BigDecimal("1000").compareTo(r.draws().get(0).ml()));
        assertEquals(new BigDecimal("660.00"), r.draws().get(1).yuan());
        assertEquals(0, new BigDecimal("600").compareTo(r.draws().get(1).consumed()));
    }

    @Test
    void insuranceCutsTheLastDrawFirstAndItsVolumeProRata_1760Less500() {
        WaiverCalculator.Result r = WaiverCalculator.compute(
                List.of(new WaiverCalculator.Item(Component.RBC, new BigDecimal("8"), new BigDecimal("1760"))),
                new BigDecimal("500"), List.of(ml(1, null, "1000"), ml(2, Relation.SPOUSE, "600")), prices);
        assertEquals(new BigDecimal("1260.00"), r.waivableYuan());
        assertEquals(new BigDecimal("0.00"), r.patientPaysYuan());
        assertEquals(new BigDecimal("160.00"), r.draws().get(1).yuan());
        // 600 ml x 160 / 660 = 145.45... rounded up
        assertEquals(new BigDecimal("145.46"), r.draws().get(1).ml());
    }

    @Test
    void aThirdOfAUnitIsRoundedDownToTheCent_100mlOf3U() {
        WaiverCalculator.Result r = WaiverCalculator.compute(
                List.of(new WaiverCalculator.Item(Component.RBC, new BigDecimal("3"), new BigDecimal("660"))), null,
                List.of(ml(1, null, "100")), prices);
        // 660 x 100 / 600 = 110.00 exactly; 1 ml of 3 U = 1.10
        assertEquals(new BigDecimal("110.00"), r.waivableYuan());
        WaiverCalculator.Result odd = WaiverCalculator.compute(
                List.of(new WaiverCalculator.Item(Component.RBC, new BigDecimal("3"), new BigDecimal("659.99"))), null,
                List.of(ml(1, null, "100")), prices);
        // 659.99 x 100 / 600 = 109.9983 -> 109.99, never 110.00
        assertEquals(new BigDecimal("109.99"), odd.waivableYuan());
    }

    @Test
    void nothingToDrawOnWaivesNothing() {
        WaiverCalculator.Result r = WaiverCalculator.compute(
                List.of(new WaiverCalculator.Item(Component.CRYO, new BigDecimal("10"), new BigDecimal("1200"))),
                new BigDecimal("200"), List.of(), prices);
        assertEquals(new BigDecimal("0.00"), r.waivableYuan());
        assertEquals(new BigDecimal("1000.00"), r.patientPaysYuan());
        assertEquals(List.of(), r.draws());
    }
}

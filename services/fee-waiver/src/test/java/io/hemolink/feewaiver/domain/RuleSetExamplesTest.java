package io.hemolink.feewaiver.domain;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Worked examples of every configured rule set (application.properties, read without Quarkus), the arithmetic in
 * each name. The claim day is 2026-06-15; "1 y ago" is a donation a year before it.
 */
class RuleSetExamplesTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate DAY = LocalDate.of(2026, 6, 15);

    /** A patient (the donor when {@code relation} is null) with the donor's donations and what the pool already gave. */
    record Example(String name, String ruleSet, List<RuleSet.Donation> donations, Relation relation, String used,
                   List<WaiverCalculator.Item> items, String insurance, String waived, String pays) {
        @Override
        public String toString() {
            return name;
        }
    }

    static RuleSet.Donation wb(int ml, double yearsAgo) {
        return new RuleSet.Donation(at(yearsAgo), DonationKind.WHOLE_BLOOD, ml, null, false);
    }

    static RuleSet.Donation rhdNeg(int ml, double yearsAgo) {
        return new RuleSet.Donation(at(yearsAgo), DonationKind.WHOLE_BLOOD, ml, null, true);
    }

    static RuleSet.Donation platelets(int doses, double yearsAgo) {
        return new RuleSet.Donation(at(yearsAgo), DonationKind.APHERESIS_PLATELETS, null, doses, false);
    }

    static java.time.Instant at(double yearsAgo) {
        return DAY.minusDays(Math.round(yearsAgo * 365.25)).atTime(10, 0).atZone(ZONE).toInstant();
    }

    static WaiverCalculator.Item rbc(int units, int yuan) {
        return new WaiverCalculator.Item(Component.RBC, BigDecimal.valueOf(units), BigDecimal.valueOf(yuan));
    }

    static WaiverCalculator.Item item(Component c, int quantity, int yuan) {
        return new WaiverCalculator.Item(c, BigDecimal.valueOf(quantity), BigDecimal.valueOf(yuan));
    }

    static Example ex(String name, String ruleSet, List<RuleSet.Donation> donations, Relation relation, String used,
                      List<WaiverCalculator.Item> items, String insurance, String waived, String pays) {
        return new Example(name, ruleSet, donations, relation, used, items, insurance, waived, pays);
    }

    static Stream<Example> zhejiang() {
        String zj = "ZJ-2025";
        return Stream.of(
                ex("ZJ self, 200 ml 1 y ago: cap 5 x 200 = 1000 ml; 2 U RBC (400 ml) 440 -> waive 440, pays 0",
                        zj, List.of(wb(200, 1)), null, "0", List.of(rbc(2, 440)), null, "440.00", "0.00"),
                ex("ZJ self, 200 ml 1 y ago: 1000 ml; 6 U RBC (1200 ml) 1320 -> waive 1320 x 1000/1200 = 1100, pays 220",
                        zj, List.of(wb(200, 1)), null, "0", List.of(rbc(6, 1320)), null, "1100.00", "220.00"),
                ex("ZJ self, 200 ml 6 y ago: after 5 y 1 x 200 = 200 ml; 2 U RBC 440 -> waive 220, pays 220",
                        zj, List.of(wb(200, 6)), null, "0", List.of(rbc(2, 440)), null, "220.00", "220.00"),
                ex("ZJ self, 200 + 200 ml = 400 ml: lifetime; 10 U RBC 2200 -> waive 2200",
                        zj, List.of(wb(200, 3), wb(200, 1)), null, "0", List.of(rbc(10, 2200)), null, "2200.00", "0.00"),
                ex("ZJ self, 200 ml with 700 ml used: 300 ml left; 2 U RBC 440 -> waive 440 x 300/400 = 330, pays 110",
                        zj, List.of(wb(200, 1)), null, "700", List.of(rbc(2, 440)), null, "330.00", "110.00"),
                ex("ZJ self, 200 ml: 1000 ml; FFP 400 ml 400 + RBC 4 U (800 ml) 880 -> 400 + 880 x 600/800 = 1060, pays 220",
                        zj, List.of(wb(200, 1)), null, "0", List.of(item(Component.FFP, 400, 400), rbc(4, 880)), null,
                        "1060.00", "220.00"),
                ex("ZJ spouse of a 300 ml donor 2 y ago: 2 x 300 = 600 ml; 4 U RBC (800 ml) 880 -> waive 660, pays 220",
                        zj, List.of(wb(300, 2)), Relation.SPOUSE, "0", List.of(rbc(4, 880)), null, "660.00", "220.00"),
                ex("ZJ parent of a 300 ml donor 6 y ago: 1 x 300 = 300 ml; 4 U RBC 880 -> waive 330, pays 550",
                        zj, List.of(wb(300, 6)), Relation.PARENT, "0", List.of(rbc(4, 880)), null, "330.00", "550.00"),
                ex("ZJ sibling of a 400 ml donor: not a beneficiary; 2 U RBC 440 -> waive 0, pays 440",
                        zj, List.of(wb(400, 1)), Relation.SIBLING, "0", List.of(rbc(2, 440)), null, "0.00", "440.00"),
                ex("ZJ child of a platelet donor: 1 donation = 800 ml x 2 = 1600 ml; PLT_AP 1 (800 ml) 1400 + 4 U RBC (800 ml) 880 -> waive 2280",
                        zj, List.of(platelets(1, 1)), Relation.CHILD, "0", List.of(item(Component.PLT_AP, 1, 1400), rbc(4, 880)),
                        null, "2280.00", "0.00"),
                ex("ZJ self, platelet donor: lifetime; PLT_AP 2 doses 2800 -> waive 2800",
                        zj, List.of(platelets(1, 4)), null, "0", List.of(item(Component.PLT_AP, 2, 2800)), null, "2800.00", "0.00"),
                ex("ZJ self, RhD-negative 200 ml: rare group, lifetime; 6 U RBC 1320 -> waive 1320",
                        zj, List.of(rhdNeg(200, 1)), null, "0", List.of(rbc(6, 1320)), null, "1320.00", "0.00"),
                ex("ZJ self lifetime, insurance 300 of 440: waive 440 - 300 = 140, pays 0",
                        zj, List.of(wb(400, 1)), null, "0", List.of(rbc(2, 440)), "300", "140.00", "0.00"),
                ex("ZJ self lifetime, 2 U RBC billed 500 above the list price 2 x 220 = 440: waive 440, pays 60",
                        zj, List.of(wb(400, 1)), null, "0", List.of(rbc(2, 500)), null, "440.00", "60.00"));
    }

    static Stream<Example> shandong() {
        String sd = "SD-2024";
        return Stream.of(
                ex("SD self, 400 ml 1 y ago: 5 x 400 = 2000 ml; 12 U RBC (2400 ml) 2640 -> waive 2200, pays 440",
                        sd, List.of(wb(400, 1)), null, "0", List.of(rbc(12, 2640)), null, "2200.00", "440.00"),
                ex("SD self, 400 ml 6 y ago: then 1 x 400 = 400 ml; 4 U RBC 880 -> waive 440, pays 440",
                        sd, List.of(wb(400, 6)), null, "0", List.of(rbc(4, 880)), null, "440.00", "440.00"),
                ex("SD self, 400 + 400 + 200 = 1000 ml: lifetime; 12 U RBC 2640 -> waive 2640",
                        sd, List.of(wb(400, 3), wb(400, 2), wb(200, 1)), null, "0", List.of(rbc(12, 2640)), null,
                        "2640.00", "0.00"),
                ex("SD self, 400 + 400 = 800 ml < 1000: 5 x 800 = 4000 ml; 4 U RBC 880 -> waive 880",
                        sd, List.of(wb(400, 3), wb(400, 1)), null, "0", List.of(rbc(4, 880)), null, "880.00", "0.00"),
                ex("SD sibling of a 400 ml donor: relatives share 1 x 400 = 400 ml; 4 U RBC 880 -> waive 440, pays 440",
                        sd, List.of(wb(400, 1)), Relation.SIBLING, "0", List.of(rbc(4, 880)), null, "440.00", "440.00"),
                ex("SD grandparent of a 400 ml donor, 200 ml used by another relative: 200 ml; 2 U RBC 440 -> waive 220",
                        sd, List.of(wb(400, 1)), Relation.GRANDPARENT, "200", List.of(rbc(2, 440)), null, "220.00", "220.00"),
                ex("SD child's spouse of a 400 ml donor 7 y ago: still 1 x 400 = 400 ml; 2 U RBC 440 -> waive 440",
                        sd, List.of(wb(400, 7)), Relation.CHILD_SPOUSE, "0", List.of(rbc(2, 440)), null, "440.00", "0.00"),
                ex("SD grandchild: not a beneficiary; 2 U RBC 440 -> waive 0",
                        sd, List.of(wb(400, 1)), Relation.GRANDCHILD, "0", List.of(rbc(2, 440)), null, "0.00", "440.00"),
                ex("SD self, platelet donation = 800 ml < 1000: 5 x 800 = 4000 ml; PLT_AP 2 (1600 ml) 2800 -> waive 2800",
                        sd, List.of(platelets(1, 1)), null, "0", List.of(item(Component.PLT_AP, 2, 2800)), null,
                        "2800.00", "0.00"));
    }

    static Stream<Example> anhui() {
        String ah = "AH-BOZHOU-2025";
        return Stream.of(
                ex("AH self, 400 ml: 2 x 220 = 440 yuan; 3 U RBC 660 -> waive 440, pays 220",
                        ah, List.of(wb(400, 1)), null, "0", List.of(rbc(3, 660)), null, "440.00", "220.00"),
                ex("AH self, 200 ml RhD-negative: 390 yuan; 2 U RBC 440 -> waive 390, pays 50",
                        ah, List.of(rhdNeg(200, 1)), null, "0", List.of(rbc(2, 440)), null, "390.00", "50.00"),
                ex("AH self, 300 ml: 300/200 x 220 = 330 yuan; 2 U RBC 440 -> waive 330, pays 110",
                        ah, List.of(wb(300, 1)), null, "0", List.of(rbc(2, 440)), null, "330.00", "110.00"),
                ex("AH spouse of a 2-dose platelet donor: relatives' quota 2 x 1400 = 2800; PLT_AP 1 1400 -> waive 1400",
                        ah, List.of(platelets(2, 1)), Relation.SPOUSE, "0", List.of(item(Component.PLT_AP, 1, 1400)), null,
                        "1400.00", "0.00"),
                ex("AH self, 400 ml with 300 used: balance carries over, 440 - 300 = 140; 2 U RBC 440 -> waive 140",
                        ah, List.of(wb(400, 1)), null, "300", List.of(rbc(2, 440)), null, "140.00", "300.00"),
                ex("AH self, 400 ml 8 y ago: no expiry, 440 yuan; 2 U RBC 440 -> waive 440",
                        ah, List.of(wb(400, 8)), null, "0", List.of(rbc(2, 440)), null, "440.00", "0.00"),
                ex("AH self, 400 ml, insurance 300 of 660: waive min(440, 660 - 300 = 360) = 360, pays 0",
                        ah, List.of(wb(400, 1)), null, "0", List.of(rbc(3, 660)), "300", "360.00", "0.00"),
                ex("AH sibling: not a beneficiary; 2 U RBC 440 -> waive 0",
                        ah, List.of(wb(400, 1)), Relation.SIBLING, "0", List.of(rbc(2, 440)), null, "0.00", "440.00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zhejiang")
    void zhejiang2025(Example e) {
        check(e);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shandong")
    void shandong2024(Example e) {
        check(e);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anhui")
    void anhuiBozhou2025(Example e) {
        check(e);
    }

    /** The same steps a claim takes (Claims.assess with one pool). */
    static void check(Example e) {
        RuleBook book = ConfiguredRules.book(e.ruleSet());
        RuleSet rs = book.inEffectOn(DAY).orElseThrow();
        assertEquals(e.ruleSet(), rs.id());
        RuleSet.Standing standing = rs.standing(e.donations(), DAY, ZONE);
        RuleSet.PoolKind kind = e.relation() == null ? RuleSet.PoolKind.SELF : RuleSet.PoolKind.RELATIVES;
        List<WaiverCalculator.Candidate> candidates = new ArrayList<>();
        if (e.relation() == null || rs.covers(e.relation())) {
            BigDecimal remaining = standing.unlimited(kind) ? null
                    : standing.cap(kind).subtract(new BigDecimal(e.used())).max(BigDecimal.ZERO);
            candidates.add(new WaiverCalculator.Candidate(1, "D1", e.relation(), kind, rs.unit(), remaining));
        }
        WaiverCalculator.Result r = WaiverCalculator.compute(e.items(), e.insurance() == null ? null
                : new BigDecimal(e.insurance()), candidates, book.prices());
        assertEquals(new BigDecimal(e.waived()), r.waivableYuan(), "waived");
        assertEquals(new BigDecimal(e.pays()), r.patientPaysYuan(), "patient pays");
        BigDecimal drawn = r.draws().stream().map(WaiverCalculator.Draw::yuan).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, drawn.compareTo(r.waivableYuan()), "the draws add up to the waiver");
    }
}

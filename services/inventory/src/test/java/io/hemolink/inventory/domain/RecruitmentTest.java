package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.feewaiver.DonationKind;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The units a recruitment request asks for and what donations give, as plain rules (ADR 0038). */
class RecruitmentTest {

    private final Recruitment rules = new Recruitment(new Recruitment.Yields(0.5, 2000), 7);

    @Test
    void unitsNeededBringTheGroupBackToGreenByTheDateWhileIssuesGoOn() {
        // red cells GREEN from 5 days; 2 U a day issued; 7 days ahead: 24 U needed on top of issues, 10 on hand
        assertEquals(14, rules.unitsNeeded(5, 2.0, 10));
        // nothing on hand: the whole (5 + 7) x 2
        assertEquals(24, rules.unitsNeeded(5, 2.0, 0));
        // platelets GREEN from 2 days, half a dose a day: 4.5 doses, 1 on hand: 3.5 is 4 whole doses
        assertEquals(4, rules.unitsNeeded(2, 0.5, 1));
        // plasma in ml: 14 + 7 days of 250 ml a day, 1,000 ml on hand
        assertEquals(4250, rules.unitsNeeded(14, 250.0, 1000));
    }

    @Test
    void noIssueHistoryAsksForNothingAndNeitherDoesEnoughStock() {
        assertEquals(0, rules.unitsNeeded(5, null, 0), "no issues in the window: no measured demand");
        assertEquals(0, rules.unitsNeeded(5, 0.0, 0));
        assertEquals(0, rules.unitsNeeded(5, 2.0, 24), "exactly GREEN on the date");
        assertEquals(0, rules.unitsNeeded(5, 2.0, 500), "never negative");
        assertEquals(1, rules.unitsNeeded(5, 2.0, 23));
    }

    @Test
    void floatingPointNoiseDoesNotAddAUnit() {
        // 28 issued in 28 days is 1.0 a day, but (5 + 7) x (0.1 x 10) style noise must not make 12 into 13
        double noisy = 0.1 + 0.2 + 0.7; // 1.0000000000000002
        assertEquals(12, rules.unitsNeeded(5, noisy, 0));
    }

    @Test
    void theHorizonMovesTheDateAndTheUnits() {
        Recruitment fortnight = new Recruitment(new Recruitment.Yields(0.5, 2000), 14);
        assertEquals(LocalDate.of(2026, 12, 15), fortnight.byDate(LocalDate.of(2026, 12, 1)));
        assertEquals(LocalDate.of(2026, 12, 8), rules.byDate(LocalDate.of(2026, 12, 1)));
        assertEquals(38, fortnight.unitsNeeded(5, 2.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Recruitment(new Recruitment.Yields(0.5, 2000), 0));
        assertThrows(IllegalArgumentException.class, () -> rules.unitsNeeded(5, 2.0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Recruitment.Yields(0, 2000));
        assertThrows(IllegalArgumentException.class, () -> new Recruitment.Yields(0.5, 100));
    }

    @Test
    void wholeBloodCountsForRedCellsPlasmaCryoAndPooledPlateletsApheresisForApheresisPlatelets() {
        // 2 whole-blood donations (400 + 300 ml), 3 apheresis donations (1 + 1 + 2 doses)
        Recruitment.Tally tally = new Recruitment.Tally(2, 700, 3, 4);
        assertEquals(new Recruitment.Counts(2, 3.5), rules.counts(Component.RBC, tally), "1 U per 200 ml");
        assertEquals(new Recruitment.Counts(2, 3.5), rules.counts(Component.WB, tally));
        assertEquals(new Recruitment.Counts(2, 3.5), rules.counts(Component.CRYO, tally));
        assertEquals(new Recruitment.Counts(2, 350.0), rules.counts(Component.FFP, tally), "ml of plasma");
        assertEquals(new Recruitment.Counts(2, 0.35), rules.counts(Component.PLT_POOL, tally), "2,000 ml a dose");
        assertEquals(new Recruitment.Counts(3, 4.0), rules.counts(Component.PLT_AP, tally), "doses");
        assertEquals(new Recruitment.Counts(0, 0.0), rules.counts(Component.RBC_LR, Recruitment.Tally.NONE));
        assertEquals(DonationKind.APHERESIS_PLATELETS, Recruitment.countedKind(Component.PLT_AP));
        assertEquals(DonationKind.WHOLE_BLOOD, Recruitment.countedKind(Component.PLT_POOL));
    }
}

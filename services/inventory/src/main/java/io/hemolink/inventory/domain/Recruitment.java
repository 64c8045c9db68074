package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.feewaiver.DonationKind;

import java.time.LocalDate;

/**
 * Donor recruitment for a region shortage, as plain rules (api.md "Donor recruitment, closed loop"; ADR 0038):
 * <ul>
 *   <li><b>Units needed.</b> The group is GREEN when its days of supply reach the GREEN threshold {@code g} of its
 *       product class (domain.md: red cells 5 d, platelets 2 d, plasma and cryo 14 d). Issues go on at the average
 *       daily issue {@code a} (the same average the days of supply use) for the {@code h} days until {@code byDate},
 *       so the stock on {@code byDate} is {@code onHand + recruited − h·a}, and it is GREEN then when that is at
 *       least {@code g·a}: {@code unitsNeeded = ceil((g + h)·a − onHand)}, never below 0. Without issue history
 *       ({@code a} null or 0) there is no measured demand and nothing to ask for: 0 (no alert is raised then
 *       anyway: its level is "no data"). Units are the component's unit of issue (U, ml, doses), as on the stock.</li>
 *   <li><b>What a donation gives.</b> An apheresis platelet donation counts for apheresis platelets only (its doses,
 *       1 when not stated); a whole-blood donation counts for every other component, in that component's unit of
 *       issue: red cells, whole blood and cryo 1 U per 200 ml of whole blood (domain.md; cryo is made from the plasma
 *       of 200 ml as 1 U), plasma {@code plasmaMlPerWholeBloodMl} ml per ml of whole blood, pooled platelets one dose
 *       per {@code wholeBloodMlPerPooledDose} ml of whole blood. Both yields are station settings.</li>
 * </ul>
 */
public final class Recruitment {

    /** 1 U of red cells (or whole blood, or cryo) is made from 200 ml of whole blood (domain.md). */
    public static final int WHOLE_BLOOD_ML_PER_UNIT = 200;

    /** The station's yields of a whole-blood donation where domain.md gives none. */
    public record Yields(double plasmaMlPerWholeBloodMl, double wholeBloodMlPerPooledDose) {
        public Yields {
            if (!(plasmaMlPerWholeBloodMl > 0 && plasmaMlPerWholeBloodMl <= 1)) {
                throw new IllegalArgumentException("plasma per ml of whole blood is a share in (0, 1]");
            }
            if (!(wholeBloodMlPerPooledDose >= WHOLE_BLOOD_ML_PER_UNIT)) {
                throw new IllegalArgumentException("a pooled platelet dose takes at least one whole-blood unit");
            }
        }
    }

    /** Donations of one group since a request, by kind: how many, and their whole-blood ml and apheresis doses. */
    public record Tally(long wholeBlood, long wholeBloodMl, long apheresis, long apheresisDoses) {
        public static final Tally NONE = new Tally(0, 0, 0, 0);
    }

    /** What the donations of a tally mean for one component: donations that count, and units they give. */
    public record Counts(long donations, double units) {
    }

    private final Yields yields;
    private final int horizonDays;

    /** @param horizonDays days from the request to its {@code byDate}, at least 1 */
    public Recruitment(Yields yields, int horizonDays) {
        if (horizonDays < 1) {
            throw new IllegalArgumentException("the recruitment horizon is at least one day");
        }
        this.yields = yields;
        this.horizonDays = horizonDays;
    }

    public int horizonDays() {
        return horizonDays;
    }

    /** The date by which a request made on {@code today} should bring the group back to GREEN. */
    public LocalDate byDate(LocalDate today) {
        return today.plusDays(horizonDays);
    }

    /**
     * {@code ceil((greenDays + horizonDays) × averageDailyIssue − onHand)}, at least 0; 0 without issue history.
     *
     * @param greenDays         the GREEN threshold of the component's product class, in days of supply
     * @param averageDailyIssue the region's average daily issue of the group (unit of issue a day), or null
     * @param onHand            the region's usable quantity of the group (unit of issue)
     */
    public int unitsNeeded(double greenDays, Double averageDailyIssue, long onHand) {
        if (greenDays < 0 || onHand < 0) {
            throw new IllegalArgumentException("days and stock are never negative");
        }
        if (averageDailyIssue == null || !(averageDailyIssue > 0)) {
            return 0;
        }
        double target = (greenDays + horizonDays) * averageDailyIssue;
        double needed = Math.ceil(target - onHand - 1e-9); // 1e-9: 9.000000001 of floating point is 9, not 10
        if (needed <= 0) {
            return 0;
        }
        return needed >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) needed;
    }

    /** The kind of donation that counts for {@code component}. */
    public static DonationKind countedKind(Component component) {
        return component == Component.PLT_AP ? DonationKind.APHERESIS_PLATELETS : DonationKind.WHOLE_BLOOD;
    }

    /** The donations of {@code tally} that count for {@code component}, and the units they give (to 0.01). */
    public Counts counts(Component component, Tally tally) {
        if (countedKind(component) == DonationKind.APHERESIS_PLATELETS) {
            return new Counts(tally.apheresis(), tally.apheresisDoses());
        }
        double perMl = switch (component) {
            case FFP, FFP_VI, FP -> yields.plasmaMlPerWholeBloodMl();
            case PLT_POOL -> 1 / yields.wholeBloodMlPerPooledDose();
            default -> 1.0 / WHOLE_BLOOD_ML_PER_UNIT; // WB, red cells, CRYO
        };
        return new Counts(tally.wholeBlood(), Math.round(tally.wholeBloodMl() * perMl * 100) / 100.0);
    }
}

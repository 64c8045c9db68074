package io.hemolink.feewaiver.domain;

import io.hemolink.contracts.events.feewaiver.DonationKind;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One province's waiver rules in one version (domain.md, "Direct fee waiver"), as plain arithmetic. Every donor has
 * two pools: SELF (the donor's own fees) and RELATIVES (shared by every beneficiary relative). A pool's cap is the sum
 * over donations of what a donation credits times the pool's multiplier (one multiplier within {@code withinYears}
 * of the donation, another after); what was waived and not reversed is taken off the cap. Volume rule sets (ML)
 * count millilitres of blood; the money model (YUAN) counts yuan.
 *
 * @param id                   e.g. {@code ZJ-2025}
 * @param region               the rule sets of one region succeed each other by date
 * @param effectiveFrom        first day claims fall under it
 * @param effectiveTo          first day they no longer do (null: open)
 * @param unit                 ML or YUAN
 * @param self                 the donor's own pool
 * @param relatives            the pool shared by relatives of {@code relativeClasses}
 * @param lifetimeThresholdMl  credited millilitres from which the donor's own fees are waived for life (null: never)
 * @param plateletDonorLifetime an apheresis platelet donor's own fees are waived for life
 * @param rhdNegativeLifetime  a rare-group (RhD-negative) donor's own fees are waived for life
 * @param plateletDonationMl   what one apheresis donation counts as, in millilitres (ML rule sets)
 * @param earn                 what a donation earns in yuan (YUAN rule sets)
 */
public record RuleSet(String id, String region, LocalDate effectiveFrom, LocalDate effectiveTo, Unit unit, Pool self,
                      Pool relatives, Set<Relation> relativeClasses, Integer lifetimeThresholdMl,
                      boolean plateletDonorLifetime, boolean rhdNegativeLifetime, int plateletDonationMl, Earn earn) {

    /** What a pool counts. */
    public enum Unit {
        ML, YUAN
    }

    /** The two pools of a donor. */
    public enum PoolKind {
        SELF, RELATIVES
    }

    /** {@code multiplier} × credit within {@code withinYears} of a donation (0: always), {@code multiplierAfter} later. */
    public record Pool(BigDecimal multiplier, int withinYears, BigDecimal multiplierAfter) {
        public Pool {
            Objects.requireNonNull(multiplier, "multiplier");
            if (multiplier.signum() < 0 || withinYears < 0 || (multiplierAfter != null && multiplierAfter.signum() < 0)) {
                throw new IllegalArgumentException("multipliers and years are not negative");
            }
        }

        BigDecimal factor(LocalDate donated, LocalDate on) {
            if (withinYears > 0 && multiplierAfter != null && !on.isBefore(donated.plusYears(withinYears))) {
                return multiplierAfter;
            }
            return multiplier;
        }
    }

    /** Money model: yuan per 200 ml of whole blood, per 200 ml of RhD-negative whole blood, per platelet dose. */
    public record Earn(BigDecimal wholeBloodPer200Ml, BigDecimal rhdNegativePer200Ml, BigDecimal plateletDose) {
    }

    /** A donation as the rules see it. */
    public record Donation(Instant donatedAt, DonationKind kind, Integer volumeMl, Integer doses, boolean rhdNegative) {
    }

    /**
     * A donor's standing on a day: how much each pool holds before anything waived is taken off.
     *
     * @param selfUnlimited own fees waived for life
     * @param selfCap       the SELF pool's cap (ML or YUAN)
     * @param relativesCap  the RELATIVES pool's cap
     * @param donations     donations counted (made on or before the day)
     * @param donatedMl     whole blood donated, in ml
     * @param creditedMl    millilitres credited (whole blood plus platelet donations converted)
     */
    public record Standing(boolean selfUnlimited, BigDecimal selfCap, BigDecimal relativesCap, int donations,
                           int donatedMl, int creditedMl) {

        public BigDecimal cap(PoolKind pool) {
            return pool == PoolKind.SELF ? selfCap : relativesCap;
        }

        public boolean unlimited(PoolKind pool) {
            return pool == PoolKind.SELF && selfUnlimited;
        }
    }

    private static final BigDecimal TWO_HUNDRED = BigDecimal.valueOf(200);

    public RuleSet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(relatives, "relatives");
        relativeClasses = Set.copyOf(relativeClasses);
        if (effectiveTo != null && !effectiveTo.isAfter(effectiveFrom)) {
            throw new IllegalArgumentException(id + ": effective-to must be after effective-from");
        }
        if (unit == Unit.YUAN && earn == null) {
            throw new IllegalArgumentException(id + ": a money rule set needs what a donation earns");
        }
        if (unit == Unit.ML && plateletDonationMl <= 0) {
            throw new IllegalArgumentException(id + ": a volume rule set needs the platelet conversion");
        }
    }

    /** Whether claims on {@code day} fall under this rule set. */
    public boolean inEffectOn(LocalDate day) {
        return !day.isBefore(effectiveFrom) && (effectiveTo == null || day.isBefore(effectiveTo));
    }

    public boolean covers(Relation relation) {
        return relativeClasses.contains(relation);
    }

    /** What one donation credits to the pools, in the rule set's unit. */
    public BigDecimal credit(Donation d) {
        if (unit == Unit.ML) {
            return BigDecimal.valueOf(creditedMl(d));
        }
        if (d.kind() == DonationKind.APHERESIS_PLATELETS) {
            return earn.plateletDose().multiply(BigDecimal.valueOf(d.doses() == null ? 1 : d.doses()));
        }
        BigDecimal per200 = d.rhdNegative() ? earn.rhdNegativePer200Ml() : earn.wholeBloodPer200Ml();
        return per200.multiply(BigDecimal.valueOf(volume(d))).divide(TWO_HUNDRED, 2, RoundingMode.HALF_UP);
    }

    private int creditedMl(Donation d) {
        return d.kind() == DonationKind.APHERESIS_PLATELETS ? plateletDonationMl : volume(d);
    }

    private static int volume(Donation d) {
        return d.volumeMl() == null ? 0 : d.volumeMl();
    }

    /** The standing of a donor with {@code donations} on {@code day} (donations after the day do not count). */
    public Standing standing(List<Donation> donations, LocalDate day, ZoneId zone) {
        BigDecimal selfCap = BigDecimal.ZERO;
        BigDecimal relativesCap = BigDecimal.ZERO;
        int counted = 0;
        int donatedMl = 0;
        int creditedMl = 0;
        boolean platelets = false;
        boolean rhdNegative = false;
        for (Donation d : donations) {
            LocalDate donated = LocalDate.ofInstant(d.donatedAt(), zone);
            if (donated.isAfter(day)) {
                continue;
            }
            counted++;
            BigDecimal credit = credit(d);
            selfCap = selfCap.add(credit.multiply(self.factor(donated, day)));
            relativesCap = relativesCap.add(credit.multiply(relatives.factor(donated, day)));
            if (d.kind() == DonationKind.WHOLE_BLOOD) {
                donatedMl += volume(d);
            } else {
                platelets = true;
            }
            rhdNegative |= d.rhdNegative();
            creditedMl += creditedMl(d);
        }
        boolean lifetime = counted > 0 && ((lifetimeThresholdMl != null && creditedMl >= lifetimeThresholdMl)
                || (plateletDonorLifetime && platelets) || (rhdNegativeLifetime && rhdNegative));
        return new Standing(lifetime, selfCap.setScale(2, RoundingMode.HALF_UP),
                relativesCap.setScale(2, RoundingMode.HALF_UP), counted, donatedMl, creditedMl);
    }
}

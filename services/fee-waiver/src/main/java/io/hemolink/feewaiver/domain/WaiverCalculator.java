package io.hemolink.feewaiver.domain;

import io.hemolink.contracts.blood.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How much of one bill is waived, as plain arithmetic:
 * <ol>
 *   <li>each item's waivable part is its station-side fee: at most quantity × the list price (the rest of a bill is
 *       the hospital's own charges); its blood volume is quantity × the component's millilitre equivalent;</li>
 *   <li>the candidates (the patient's own donor pool first, then the relatives' pools of the donors the patient is
 *       related to) cover the items in order: an unlimited pool covers all that is left, a volume pool covers
 *       millilitres (a partly covered item is waived pro rata), a money pool covers yuan;</li>
 *   <li>what medical insurance covered is never waived again: the waiver is at most the bill less the insurance,
 *       and the draws are cut back from the last one (a cut volume draw consumes pro rata less).</li>
 * </ol>
 * Money is yuan with two decimals; pro-rata shares are rounded down, so a waiver never exceeds an entitlement.
 */
public final class WaiverCalculator {

    private static final int SCALE = 2;

    private WaiverCalculator() {
    }

    /** One line of the bill. */
    public record Item(Component component, BigDecimal quantity, BigDecimal amountYuan) {
        public Item {
            Objects.requireNonNull(component, "component");
            if (quantity == null || quantity.signum() <= 0 || amountYuan == null || amountYuan.signum() < 0) {
                throw new IllegalArgumentException("an item has a positive quantity and an amount of at least 0");
            }
        }
    }

    /**
     * A pool the patient may draw on.
     *
     * @param donorId   the donor whose pool it is
     * @param donorRef  the donor's public reference
     * @param relation  null when the patient is the donor, else how the patient is related to the donor
     * @param pool      SELF or RELATIVES
     * @param unit      what {@code remaining} counts
     * @param remaining what is left (null: unlimited)
     */
    public record Candidate(long donorId, String donorRef, Relation relation, RuleSet.PoolKind pool, RuleSet.Unit unit,
                            BigDecimal remaining) {

        public boolean unlimited() {
            return remaining == null;
        }
    }

    /** What the waiver takes from one pool: the yuan waived and the millilitres of blood they stand for. */
    public record Draw(Candidate candidate, BigDecimal yuan, BigDecimal ml) {

        /** What the draw consumes of its pool, in the pool's unit. */
        public BigDecimal consumed() {
            return candidate.unit() == RuleSet.Unit.ML ? ml : yuan;
        }
    }

    /**
     * @param billTotalYuan   sum of the items' amounts
     * @param insuranceYuan   covered by medical insurance
     * @param stationSideYuan the waivable part of the bill before entitlements
     * @param waivableYuan    waived
     * @param patientPaysYuan bill − insurance − waived
     */
    public record Result(BigDecimal billTotalYuan, BigDecimal insuranceYuan, BigDecimal stationSideYuan,
                         BigDecimal waivableYuan, BigDecimal patientPaysYuan, List<Draw> draws, List<String> reasons) {
    }

    public static Result compute(List<Item> items, BigDecimal insuranceYuan, List<Candidate> candidates,
                                 PriceList prices) {
        BigDecimal insurance = insuranceYuan == null ? BigDecimal.ZERO : insuranceYuan;
        if (insurance.signum() < 0) {
            throw new IllegalArgumentException("insurance is not negative");
        }
        List<String> reasons = new ArrayList<>();
        int n = items.size();
        BigDecimal[] leftYuan = new BigDecimal[n];
        BigDecimal[] leftMl = new BigDecimal[n];
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal stationSide = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            BigDecimal amount = money(item.amountYuan());
            BigDecimal listed = money(item.quantity().multiply(prices.yuanPerUnit(item.component())));
            leftYuan[i] = amount.min(listed);
            leftMl[i] = item.quantity().multiply(prices.mlPerUnit(item.component())).setScale(SCALE, RoundingMode.HALF_UP);
            total = total.add(amount);
            stationSide = stationSide.add(leftYuan[i]);
            if (amount.compareTo(listed) > 0) {
                reasons.add("PRICE_CAP: " + item.component() + " is waived at most at the station's price, "
                        + listed.toPlainString() + " yuan for " + item.quantity().stripTrailingZeros().toPlainString());
            }
        }

        List<Draw> draws = new ArrayList<>();
        for (Candidate c : candidates) {
            BigDecimal yuan = BigDecimal.ZERO;
            BigDecimal ml = BigDecimal.ZERO;
            BigDecimal left = c.remaining();
            for (int i = 0; i < n; i++) {
                if (leftYuan[i].signum() == 0) {
                    continue;
                }
                if (left != null && left.signum() <= 0) {
                    break;
                }
                BigDecimal takeYuan;
                BigDecimal takeMl;
                if (c.unlimited()) {
                    takeYuan = leftYuan[i];
                    takeMl = leftMl[i];
                } else if (c.unit() == RuleSet.Unit.ML) {
                    takeMl = leftMl[i].min(left);
                    takeYuan = takeMl.compareTo(leftMl[i]) == 0 ? leftYuan[i]
                            : leftYuan[i].multiply(takeMl).divide(leftMl[i], SCALE, RoundingMode.DOWN);
                    left = left.subtract(takeMl);
                } else {
                    takeYuan = leftYuan[i].min(left);
                    takeMl = takeYuan.compareTo(leftYuan[i]) == 0 ? leftMl[i]
                            : leftMl[i].multiply(takeYuan).divide(leftYuan[i], SCALE, RoundingMode.DOWN);
                    left = left.subtract(takeYuan);
                }
                leftYuan[i] = leftYuan[i].subtract(takeYuan);
                leftMl[i] = leftMl[i].subtract(takeMl);
                yuan = yuan.add(takeYuan);
                ml = ml.add(takeMl);
            }
            if (yuan.signum() > 0) {
                draws.add(new Draw(c, yuan, ml));
            }
        }

        BigDecimal covered = draws.stream().map(Draw::yuan).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal afterInsurance = total.subtract(insurance).max(BigDecimal.ZERO);
        if (insurance.signum() > 0 && covered.compareTo(afterInsurance) > 0) {
            reasons.add("INSURANCE: " + money(insurance).toPlainString()
                    + " yuan covered by medical insurance is not waived again");
            BigDecimal excess = covered.subtract(afterInsurance);
            for (int k = draws.size() - 1; k >= 0 && excess.signum() > 0; k--) {
                Draw d = draws.get(k);
                BigDecimal cut = d.yuan().min(excess);
                BigDecimal keep = d.yuan().subtract(cut);
                excess = excess.subtract(cut);
                if (keep.signum() == 0) {
                    draws.remove(k);
                } else {
                    BigDecimal ml = d.ml().multiply(keep).divide(d.yuan(), SCALE, RoundingMode.UP);
                    draws.set(k, new Draw(d.candidate(), keep, ml));
                }
            }
            covered = afterInsurance;
        }
        BigDecimal patientPays = total.subtract(insurance).subtract(covered).max(BigDecimal.ZERO);
        return new Result(money(total), money(insurance), money(stationSide), money(covered), money(patientPays),
                List.copyOf(draws), List.copyOf(reasons));
    }

    private static BigDecimal money(BigDecimal v) {
        return v.setScale(SCALE, RoundingMode.HALF_UP);
    }
}

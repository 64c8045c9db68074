package io.hemolink.feewaiver.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A donor's entitlement on a day: the rule set's caps from the donations, less what claimed (not reversed) waivers
 * took from each pool. Read under the donor's lock when a claim is about to take from it.
 */
@ApplicationScoped
public class Entitlements {

    @Inject
    EntityManager em;

    /** One pool: its cap, what was used and what is left, in the rule set's unit ({@code cap}/{@code remaining} null when unlimited). */
    public record PoolState(RuleSet.PoolKind pool, RuleSet.Unit unit, boolean unlimited, BigDecimal cap, BigDecimal used,
                            BigDecimal remaining) {
    }

    public record DonorState(Donor donor, RuleSet.Standing standing, PoolState self, PoolState relatives) {

        public PoolState pool(RuleSet.PoolKind kind) {
            return kind == RuleSet.PoolKind.SELF ? self : relatives;
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public DonorState of(Donor donor, RuleSet rules, LocalDate day, java.time.ZoneId zone) {
        return of(List.of(donor), rules, day, zone).get(donor.id);
    }

    /** The states of several donors with three queries in all, whatever their number (the quote's hot path). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Long, DonorState> of(Collection<Donor> donors, RuleSet rules, LocalDate day, java.time.ZoneId zone) {
        Map<Long, DonorState> states = new LinkedHashMap<>();
        if (donors.isEmpty()) {
            return states;
        }
        List<Long> ids = donors.stream().map(d -> d.id).distinct().toList();
        Map<Long, List<RuleSet.Donation>> donations = new HashMap<>();
        for (Donation d : Donation.<Donation>list("donorId in ?1 order by donatedAt, donationId", ids)) {
            donations.computeIfAbsent(d.donorId, k -> new ArrayList<>()).add(d.asRuleInput());
        }
        Map<String, BigDecimal> used = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select d.donor_id, d.pool, coalesce(sum(d.amount_ml), 0),"
                        + " coalesce(sum(d.amount_yuan), 0) from waiver_draw d join waiver w on w.id = d.waiver_id"
                        + " where d.donor_id in (:ids) and w.status = 'CLAIMED' group by d.donor_id, d.pool")
                .setParameter("ids", ids)
                .getResultList();
        for (Object[] row : rows) {
            BigDecimal amount = new BigDecimal(String.valueOf(rules.unit() == RuleSet.Unit.ML ? row[2] : row[3]))
                    .setScale(2, RoundingMode.HALF_UP);
            used.put(((Number) row[0]).longValue() + "|" + row[1], amount);
        }
        BigDecimal none = BigDecimal.ZERO.setScale(2);
        for (Donor donor : donors) {
            RuleSet.Standing standing = rules.standing(donations.getOrDefault(donor.id, List.of()), day, zone);
            BigDecimal usedSelf = used.getOrDefault(donor.id + "|" + RuleSet.PoolKind.SELF, none);
            BigDecimal usedRelatives = used.getOrDefault(donor.id + "|" + RuleSet.PoolKind.RELATIVES, none);
            states.put(donor.id, new DonorState(donor, standing, pool(RuleSet.PoolKind.SELF, rules, standing, usedSelf),
                    pool(RuleSet.PoolKind.RELATIVES, rules, standing, usedRelatives)));
        }
        return states;
    }

    private static PoolState pool(RuleSet.PoolKind kind, RuleSet rules, RuleSet.Standing standing, BigDecimal used) {
        if (standing.unlimited(kind)) {
            return new PoolState(kind, rules.unit(), true, null, used, null);
        }
        BigDecimal cap = standing.cap(kind);
        return new PoolState(kind, rules.unit(), false, cap, used, cap.subtract(used).max(BigDecimal.ZERO));
    }
}

package io.hemolink.feewaiver.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.feewaiver.WaiverClaimed;
import io.hemolink.contracts.events.feewaiver.WaiverReversed;
import io.hemolink.contracts.person.IdNumbers;
import io.hemolink.feewaiver.config.FeeWaiverConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Quotes, claims and reversals. A claim takes its amount from the remaining entitlement under row locks on every
 * donor it may draw on (PostgreSQL, not the JVM), so claims racing from several hospitals or instances never take
 * more than is left; one hospital bill has at most one waiver.
 */
@ApplicationScoped
public class Claims {

    /** A bill as the hospital presents it. */
    public record Bill(String hospitalId, String billNo, String patientIdNumber, String patientName,
                       List<WaiverCalculator.Item> items, BigDecimal insuranceCoveredYuan) {
    }

    /** What the rules say about a bill. */
    public record Assessment(boolean eligible, String ruleSet, WaiverCalculator.Result result, List<String> reasons) {
    }

    /** One line of a waiver's basis: which donor's pool, by which relation (null: the patient is the donor). */
    public record Basis(String donorRef, Relation relation, RuleSet.PoolKind pool, BigDecimal waivedYuan,
                        BigDecimal ml) {
    }

    public record Claimed(Waiver waiver, boolean created) {
    }

    @Inject
    RuleBook rules;

    @Inject
    PersonalData personalData;

    @Inject
    Entitlements entitlements;

    @Inject
    Donors donors;

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @Inject
    FeeWaiverConfig config;

    @Inject
    MeterRegistry registry;

    @Transactional(Transactional.TxType.MANDATORY)
    public Assessment quote(Bill bill) {
        requireInsuranceWithinBill(bill);
        return assess(bill, patientId(bill), false);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Claimed claim(Bill bill, String actor) {
        requireInsuranceWithinBill(bill);
        String patientId = patientId(bill);
        String requestHash = personalData.hash(fingerprint(bill, patientId));
        // one bill, one waiver: concurrent claims of the same bill wait here for each other
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "fee-waiver-bill\n" + bill.hospitalId() + "\n" + bill.billNo())
                .getSingleResult();
        Optional<Waiver> existing = Waiver.byBill(bill.hospitalId(), bill.billNo());
        if (existing.isPresent()) {
            if (!existing.get().requestHash.equals(requestHash)) {
                throw DomainException.conflict("BILL_ALREADY_CLAIMED", "bill " + bill.billNo()
                        + " already has waiver " + existing.get().id + " with different details");
            }
            return new Claimed(existing.get(), false);
        }
        Assessment a = assess(bill, patientId, true);
        if (!a.eligible()) {
            throw DomainException.invalid("NOT_ELIGIBLE", "nothing on this bill can be waived: " + String.join("; ", a.reasons()),
                    a.reasons().stream().map(r -> new DomainException.FieldError("patientIdNumber", r)).toList());
        }
        Instant now = Instant.now();
        Waiver w = new Waiver();
        w.id = UUID.randomUUID();
        w.hospitalId = bill.hospitalId();
        w.billNo = bill.billNo();
        w.requestHash = requestHash;
        w.patientHash = personalData.hash(patientId);
        w.patientIdEnc = personalData.encrypt(patientId);
        w.patientNameEnc = personalData.encrypt(bill.patientName().strip());
        w.ruleSet = a.ruleSet();
        w.billTotalYuan = a.result().billTotalYuan();
        w.insuranceCoveredYuan = a.result().insuranceYuan();
        w.waivedYuan = a.result().waivableYuan();
        w.patientPaysYuan = a.result().patientPaysYuan();
        w.status = Waiver.CLAIMED;
        w.claimedAt = now;
        w.claimMonth = YearMonth.from(now.atZone(config.zone())).toString();
        w.claimedBy = actor;
        w.persist();
        int line = 0;
        for (WaiverCalculator.Draw d : a.result().draws()) {
            em.createNativeQuery("insert into waiver_draw (waiver_id, line, donor_id, pool, relation, amount_yuan, amount_ml)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                    .setParameter(1, w.id)
                    .setParameter(2, ++line)
                    .setParameter(3, d.candidate().donorId())
                    .setParameter(4, d.candidate().pool().name())
                    .setParameter(5, d.candidate().relation() == null ? null : d.candidate().relation().name())
                    .setParameter(6, d.yuan())
                    .setParameter(7, d.ml())
                    .executeUpdate();
        }
        WaiverCalculator.Draw primary = a.result().draws().stream()
                .max(Comparator.comparing(WaiverCalculator.Draw::yuan)).orElseThrow();
        outbox.publish(Events.WAIVER_CLAIMED, w.id.toString(), "waiver/" + w.id, new WaiverClaimed(w.id.toString(),
                w.hospitalId, w.billNo, primary.candidate().donorRef(), relationName(primary.candidate().relation()),
                w.waivedYuan, w.ruleSet, now));
        registry.counter("hemolink.feewaiver.claims", "ruleSet", w.ruleSet).increment();
        return new Claimed(w, true);
    }

    /** Gives a waiver back (the bill was cancelled): its draws stop counting, so the entitlement is restored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Waiver reverse(Waiver w, String reason, String actor) {
        if (Waiver.REVERSED.equals(w.status)) {
            throw DomainException.conflict("WAIVER_ALREADY_REVERSED", "waiver " + w.id + " was reversed at " + w.reversedAt);
        }
        Instant now = Instant.now();
        w.status = Waiver.REVERSED;
        w.reversedAt = now;
        w.reversalMonth = YearMonth.from(now.atZone(config.zone())).toString();
        w.reversedBy = actor;
        w.reversalReason = reason.strip();
        outbox.publish(Events.WAIVER_REVERSED, w.id.toString(), "waiver/" + w.id, new WaiverReversed(w.id.toString(),
                w.hospitalId, w.waivedYuan, w.reversalReason, actor, now));
        return w;
    }

    /** The pools a waiver drew on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Basis> basis(UUID waiverId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select o.ref, d.relation, d.pool, d.amount_yuan, d.amount_ml"
                        + " from waiver_draw d join donor o on o.id = d.donor_id where d.waiver_id = ?1 order by d.line")
                .setParameter(1, waiverId)
                .getResultList();
        return rows.stream().map(r -> new Basis((String) r[0], r[1] == null ? null : Relation.valueOf((String) r[1]),
                RuleSet.PoolKind.valueOf((String) r[2]), (BigDecimal) r[3], (BigDecimal) r[4])).toList();
    }

    public static String relationName(Relation r) {
        return r == null ? "SELF" : r.name();
    }

    private String patientId(Bill bill) {
        String id = IdNumbers.canonical(bill.patientIdNumber());
        if (id == null) {
            throw DonationRecords.idInvalid("patientIdNumber");
        }
        return id;
    }

    /** Insurance cannot have covered more than the bill: such a bill is not a real one (422 INSURANCE_ABOVE_BILL). */
    static void requireInsuranceWithinBill(Bill bill) {
        if (bill.insuranceCoveredYuan() == null) {
            return;
        }
        BigDecimal total = bill.items().stream().map(WaiverCalculator.Item::amountYuan).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (bill.insuranceCoveredYuan().compareTo(total) > 0) {
            throw DomainException.invalid("INSURANCE_ABOVE_BILL", "insuranceCoveredYuan " + bill.insuranceCoveredYuan()
                    .toPlainString() + " is more than the bill's items, " + total.toPlainString(), "insuranceCoveredYuan");
        }
    }

    private Assessment assess(Bill bill, String patientId, boolean lock) {
        LocalDate day = LocalDate.now(config.zone());
        Optional<RuleSet> inEffect = rules.inEffectOn(day);
        String patientHash = personalData.hash(patientId);
        if (inEffect.isEmpty()) {
            WaiverCalculator.Result none = WaiverCalculator.compute(bill.items(), bill.insuranceCoveredYuan(), List.of(),
                    rules.prices());
            return new Assessment(false, null, none, List.of("NO_RULE_SET: no rule set of region "
                    + rules.selected().region() + " is in effect on " + day));
        }
        RuleSet rs = inEffect.get();
        Optional<Donor> self = Donor.byHash(patientHash);
        List<DonorRelation> relations = DonorRelation.ofRelative(patientHash);
        if (lock) {
            Set<Long> ids = new LinkedHashSet<>();
            self.ifPresent(d -> ids.add(d.id));
            relations.forEach(r -> ids.add(r.donorId));
            donors.lock(ids);
        }
        List<String> reasons = new ArrayList<>();
        List<WaiverCalculator.Candidate> candidates = new ArrayList<>();
        List<Donor> involved = new ArrayList<>();
        self.ifPresent(involved::add);
        Map<Long, Donor> byId = new HashMap<>();
        if (!relations.isEmpty()) {
            for (Donor d : Donor.<Donor>list("id in ?1", relations.stream().map(r -> r.donorId).distinct().toList())) {
                byId.put(d.id, d);
            }
            relations.stream().filter(r -> rs.covers(r.relation)).map(r -> byId.get(r.donorId)).forEach(involved::add);
        }
        Map<Long, Entitlements.DonorState> states = entitlements.of(involved, rs, day, config.zone());
        if (self.isPresent()) {
            Entitlements.DonorState s = states.get(self.get().id);
            if (s.standing().donations() > 0) {
                add(candidates, reasons, s, null, RuleSet.PoolKind.SELF, rs);
            }
        }
        for (DonorRelation r : relations) {
            Donor donor = byId.get(r.donorId);
            if (!rs.covers(r.relation)) {
                reasons.add("RELATION_NOT_COVERED: " + r.relation + " of donor " + donor.ref + " is not a beneficiary under "
                        + rs.id());
                continue;
            }
            Entitlements.DonorState s = states.get(donor.id);
            if (s.standing().donations() == 0) {
                reasons.add("NO_DONATIONS: donor " + donor.ref + " has no recorded donation");
                continue;
            }
            add(candidates, reasons, s, r.relation, RuleSet.PoolKind.RELATIVES, rs);
        }
        if (candidates.isEmpty() && reasons.isEmpty()) {
            reasons.add("NO_ENTITLEMENT: the patient is neither a donor nor a registered relative of one");
        }
        WaiverCalculator.Result result = WaiverCalculator.compute(bill.items(), bill.insuranceCoveredYuan(), candidates,
                rules.prices());
        reasons.addAll(result.reasons());
        boolean eligible = result.waivableYuan().signum() > 0;
        if (!eligible && !candidates.isEmpty()) {
            reasons.add("NOTHING_LEFT_TO_WAIVE: the bill's station-side fees are already covered");
        }
        return new Assessment(eligible, rs.id(), result, List.copyOf(reasons));
    }

    private static void add(List<WaiverCalculator.Candidate> candidates, List<String> reasons,
                            Entitlements.DonorState s, Relation relation, RuleSet.PoolKind kind, RuleSet rs) {
        Entitlements.PoolState pool = s.pool(kind);
        String who = (relation == null ? "the patient as donor " : relation + " of donor ") + s.donor().ref;
        if (pool.unlimited()) {
            reasons.add("LIFETIME: " + who + ": own fees waived for life under " + rs.id());
        } else if (pool.remaining().signum() <= 0) {
            reasons.add("EXHAUSTED: " + who + ": the " + kind + " entitlement is used up");
            return;
        } else {
            reasons.add("ENTITLEMENT: " + who + ": " + pool.remaining().toPlainString()
                    + (pool.unit() == RuleSet.Unit.ML ? " ml" : " yuan") + " left under " + rs.id());
        }
        candidates.add(new WaiverCalculator.Candidate(s.donor().id, s.donor().ref, relation, kind, pool.unit(),
                pool.remaining()));
    }

    /** The claim's content with the patient named by the ID number only inside the keyed hash taken of it. */
    private static String fingerprint(Bill bill, String patientId) {
        String items = bill.items().stream().map(i -> i.component() + "x" + i.quantity().stripTrailingZeros().toPlainString()
                + "=" + i.amountYuan().stripTrailingZeros().toPlainString()).collect(Collectors.joining(","));
        BigDecimal insurance = bill.insuranceCoveredYuan() == null ? BigDecimal.ZERO : bill.insuranceCoveredYuan();
        return String.join("\n", bill.hospitalId(), bill.billNo(), patientId, bill.patientName().strip(), items,
                insurance.stripTrailingZeros().toPlainString());
    }
}

package io.hemolink.feewaiver.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.feewaiver.SettlementClosed;
import io.hemolink.feewaiver.config.FeeWaiverConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;

/**
 * What the station pays each hospital back per month: the waivers claimed in the month, less those reversed in it
 * (a reversal counts in the month it happens, so a closed month never changes). Closing a month that has ended
 * records its totals once and publishes {@code SettlementClosed} once.
 */
@ApplicationScoped
public class Settlements {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(Settlements.class);

    /** One line of a statement: a claim (positive) or a reversal (negative) in the month. */
    public record Line(UUID waiverId, String billNo, String kind, Instant at, BigDecimal amountYuan, String ruleSet) {
    }

    public record Statement(String hospitalId, YearMonth month, int count, int claims, int reversals,
                           BigDecimal totalWaivedYuan, boolean closed, Instant closedAt, String closedBy,
                           List<Line> items) {
    }

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    FeeWaiverConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public Statement statement(String hospitalId, YearMonth month) {
        String m = month.toString();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select id, bill_no, 'CLAIM' as kind, claimed_at as at, waived_yuan as amount, rule_set, seq from waiver"
                                + " where hospital_id = ?1 and claim_month = ?2"
                                + " union all select id, bill_no, 'REVERSAL', reversed_at, -waived_yuan, rule_set, seq from waiver"
                                + " where hospital_id = ?1 and reversal_month = ?2 order by 4, 7")
                .setParameter(1, hospitalId)
                .setParameter(2, m)
                .getResultList();
        List<Line> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        int claims = 0;
        for (Object[] r : rows) {
            Line line = new Line((UUID) r[0], (String) r[1], (String) r[2], instant(r[3]), (BigDecimal) r[4], (String) r[5]);
            lines.add(line);
            total = total.add(line.amountYuan());
            if ("CLAIM".equals(line.kind())) {
                claims++;
            }
        }
        @SuppressWarnings("unchecked")
        List<Object[]> closed = em.createNativeQuery("select closed_at, closed_by from settlement where hospital_id = ?1 and month = ?2")
                .setParameter(1, hospitalId)
                .setParameter(2, m)
                .getResultList();
        Instant closedAt = closed.isEmpty() ? null : instant(closed.get(0)[0]);
        String closedBy = closed.isEmpty() ? null : (String) closed.get(0)[1];
        return new Statement(hospitalId, month, lines.size(), claims, lines.size() - claims, total, !closed.isEmpty(),
                closedAt, closedBy, List.copyOf(lines));
    }

    /** Closes a month that has ended; closing it again changes nothing and publishes nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Statement close(String hospitalId, YearMonth month, String actor) {
        if (!month.isBefore(YearMonth.now(config.zone()))) {
            throw DomainException.invalid("MONTH_NOT_ENDED", month + " has not ended yet", "month");
        }
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "fee-waiver-settlement\n" + hospitalId + "\n" + month)
                .getSingleResult();
        Statement s = statement(hospitalId, month);
        if (s.closed()) {
            return s;
        }
        em.createNativeQuery("insert into settlement (hospital_id, month, claims, reversals, total_waived_yuan, closed_at,"
                        + " closed_by) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, hospitalId)
                .setParameter(2, month.toString())
                .setParameter(3, s.claims())
                .setParameter(4, s.reversals())
                .setParameter(5, s.totalWaivedYuan())
                .setParameter(6, OffsetDateTime.now())
                .setParameter(7, actor)
                .executeUpdate();
        outbox.publish(Events.SETTLEMENT_CLOSED, hospitalId + "|" + month, "settlement/" + hospitalId + "/" + month,
                new SettlementClosed(hospitalId, month.toString(), s.count(), s.totalWaivedYuan()));
        LOG.infof("settlement %s %s closed by %s: %d lines, %s yuan", hospitalId, month, actor, s.count(),
                s.totalWaivedYuan().toPlainString());
        return statement(hospitalId, month);
    }

    /**
     * After a month ends, closes it for every hospital with waivers in it (the last three months are looked at, so a
     * missed run catches up; each close is its own transaction and happens once).
     */
    @Scheduled(cron = "${hemolink.fee-waiver.settlement.close:0 30 1 * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("settlement-close", execution, this::closeEndedMonths);
    }

    public void closeEndedMonths() {
        YearMonth current = YearMonth.now(config.zone());
        for (int back = 3; back >= 1; back--) {
            YearMonth month = current.minusMonths(back);
            List<String> hospitals = QuarkusTransaction.requiringNew().call(() -> open(month));
            for (String hospital : hospitals) {
                QuarkusTransaction.requiringNew().run(() -> close(hospital, month, "scheduler"));
            }
        }
    }

    /** Hospitals with waivers claimed or reversed in {@code month} whose month is not closed. */
    @SuppressWarnings("unchecked")
    List<String> open(YearMonth month) {
        return em.createNativeQuery("select h from (select hospital_id as h from waiver where claim_month = ?1"
                        + " union select hospital_id from waiver where reversal_month = ?1) x"
                        + " where not exists (select 1 from settlement s where s.hospital_id = x.h and s.month = ?1) order by h")
                .setParameter(1, month.toString())
                .getResultList();
    }
}

package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.inventory.MovementType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Moves bags past their expiry to EXPIRED through the ledger, so levels and events follow, and recounts each level's
 * bags expiring within 72 h. Runs every {@code hemolink.inventory.expiry-sweep} (default 5 min); bags in transit are
 * left to the receipt.
 */
@ApplicationScoped
public class ExpirySweep {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(ExpirySweep.class);
    private static final int BATCH = 200;

    @Inject
    StockLedger ledger;

    @Inject
    EntityManager em;

    @Inject
    StockPicture picture;

    @Scheduled(every = "${hemolink.inventory.expiry-sweep:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("expiry-sweep", execution, () -> {
            Instant now = Instant.now();
            sweep(now);
            recountExpiringSoon(now);
        });
    }

    /**
     * Sets every level's count of bags expiring within 72 h of {@code now} from the units (bags enter that window as
     * time passes, without a movement); returns how many levels changed.
     */
    public int recountExpiringSoon(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> recount(now));
    }

    private int recount(Instant now) {
        int changed = em.createNativeQuery("""
                        with soon as (
                            select location_id, component, abo, rhd, count(*) as n from unit
                            where status = 'AVAILABLE' and expires_at < ?1
                            group by location_id, component, abo, rhd)
                        update stock_level s set expiring_soon = coalesce(soon.n, 0)
                        from stock_level l left join soon on soon.location_id = l.location_id
                             and soon.component = l.component and soon.abo = l.abo and soon.rhd = l.rhd
                        where s.location_id = l.location_id and s.component = l.component and s.abo = l.abo
                          and s.rhd = l.rhd and s.expiring_soon <> coalesce(soon.n, 0)""")
                .setParameter(1, java.time.OffsetDateTime.ofInstant(now.plus(StockLedger.EXPIRING_SOON), java.time.ZoneOffset.UTC))
                .executeUpdate();
        if (changed > 0) {
            picture.changed();
        }
        return changed;
    }

    /** Expires every available, reserved or quarantined bag whose expiry is not after {@code now}; returns how many. */
    public int sweep(Instant now) {
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> {
                List<Unit> due = em.createQuery("from Unit u where u.status in :statuses and u.expiresAt <= :now order by u.id",
                                Unit.class)
                        .setParameter("statuses", List.of(UnitStatus.AVAILABLE, UnitStatus.RESERVED, UnitStatus.QUARANTINED))
                        .setParameter("now", now)
                        .setMaxResults(BATCH)
                        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .setHint("jakarta.persistence.lock.timeout", -2)
                        .getResultList();
                for (Unit u : due) {
                    ledger.record(u, MovementType.EXPIRED, UnitStatus.EXPIRED, u.locationId,
                            new StockLedger.Details(u.orderId, "expired at " + u.expiresAt, null, "system:expiry-sweep", now,
                                    io.hemolink.contracts.blood.DiscardReason.EXPIRED));
                }
                return due.size();
            });
            total += n;
            if (n < BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.infof("expired %d units", total);
        }
        return total;
    }
}

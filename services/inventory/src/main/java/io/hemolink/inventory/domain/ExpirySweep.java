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
 * Moves bags past their expiry to EXPIRED through the ledger, so levels and events follow. Runs every
 * {@code hemolink.inventory.expiry-sweep} (default 5 min); bags in transit are left to the receipt.
 */
@ApplicationScoped
public class ExpirySweep {

    private static final Logger LOG = Logger.getLogger(ExpirySweep.class);
    private static final int BATCH = 200;

    @Inject
    StockLedger ledger;

    @Inject
    EntityManager em;

    @Scheduled(every = "${hemolink.inventory.expiry-sweep:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep(Instant.now());
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
                            new StockLedger.Details(u.orderId, "expired at " + u.expiresAt, null, "system:expiry-sweep", now));
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

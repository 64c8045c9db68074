package io.hemolink.inventory.domain;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Open lines allocated further: when stock of a key arrives at the station (after that commit, off the caller's
 * thread) and on the {@code hemolink.inventory.allocation.round} schedule, which also shares rationed ROUTINE lines by
 * need and catches anything a missed trigger left. Rounds run one at a time on one worker; each key's round is its own
 * transaction.
 */
@ApplicationScoped
public class Backorders {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(Backorders.class);

    @Inject
    Allocator allocator;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hemolink-backorders");
        t.setDaemon(true);
        return t;
    });

    /** Stock of these keys arrived: their open lines are topped up soon after. */
    public void stockArrived(Collection<Allocator.StockKey> keys) {
        List<Allocator.StockKey> copy = List.copyOf(keys);
        worker.submit(() -> {
            try {
                topUp(copy);
            } catch (RuntimeException e) {
                LOG.warn("backorder top-up failed; the scheduled round will retry", e);
            }
        });
    }

    @Scheduled(every = "${hemolink.inventory.allocation.round:5m}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("backorder-rounds", execution, this::topUpAll);
    }

    /** A round for every key with open lines; returns the orders whose allocation changed. */
    public Set<String> topUpAll() {
        return topUp(QuarkusTransaction.requiringNew().call(allocator::keysWithOpenLines));
    }

    /** A round for each of {@code keys}, each in its own transaction. */
    public Set<String> topUp(Collection<Allocator.StockKey> keys) {
        Set<String> changed = new java.util.LinkedHashSet<>();
        for (Allocator.StockKey key : keys) {
            changed.addAll(QuarkusTransaction.requiringNew().call(() -> allocator.round(key)));
        }
        return changed;
    }

    void stop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }
}

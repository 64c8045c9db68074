package io.hemolink.notification.delivery;

import io.hemolink.common.scheduling.ClusterJobs;
import io.hemolink.notification.config.NotificationConfig;
import io.hemolink.notification.domain.Deliveries;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The delivery log is kept {@code hemolink.notification.retention} (30 days): finished deliveries (DELIVERED or
 * FAILED) older than that are deleted hourly, once in the cluster (ClusterJobs, ADR 0035). Pending ones are never.
 */
@ApplicationScoped
public class DeliveryRetention {

    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    @Inject
    ClusterJobs jobs;

    @Inject
    Deliveries deliveries;

    @Inject
    NotificationConfig config;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(ScheduledExecution execution) {
        jobs.runOnce("delivery-retention", execution, this::purge);
    }

    /** Deletes what finished before the retention; the number deleted. */
    public int purge() {
        int deleted = deliveries.purgeFinishedBefore(Instant.now().minus(config.retention()));
        if (deleted > 0) {
            LOG.infof("delivery log: %d finished deliveries older than %s deleted", deleted, config.retention());
        }
        return deleted;
    }
}

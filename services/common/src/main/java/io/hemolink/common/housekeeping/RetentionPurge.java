package io.hemolink.common.housekeeping;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Deletes what the shared tables no longer need: published outbox events after {@code hemolink.outbox.retention},
 * consumed-event ids after {@code hemolink.inbox.retention} (far beyond any redelivery window) and idempotency
 * records after {@code hemolink.idempotency.retention}.
 */
@ApplicationScoped
public class RetentionPurge {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "hemolink.outbox.retention", defaultValue = "24h")
    Duration outboxRetention;

    @ConfigProperty(name = "hemolink.inbox.retention", defaultValue = "P30D")
    Duration inboxRetention;

    @ConfigProperty(name = "hemolink.idempotency.retention", defaultValue = "P7D")
    Duration idempotencyRetention;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("retention-purge", execution, this::purge);
    }

    void purge() {
        delete("delete from outbox_event where sent_at is not null and sent_at < ?1", outboxRetention);
        delete("delete from processed_event where processed_at < ?1", inboxRetention);
        delete("delete from idempotency_record where created_at < ?1", idempotencyRetention);
    }

    private void delete(String sql, Duration retention) {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(Instant.now().minus(retention), ZoneOffset.UTC);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(sql).setParameter(1, cutoff).executeUpdate());
    }
}

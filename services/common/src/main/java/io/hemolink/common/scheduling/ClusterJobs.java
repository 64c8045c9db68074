package io.hemolink.common.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * Scheduled work that runs once per period in the whole cluster (api.md, "Running more than one of each"; ADR 0035).
 * Every instance keeps its own {@code @Scheduled} trigger; each run first claims the job in the service's database:
 * one statement that takes the job's row only when its last run is at least {@code minGap} ago. Two instances firing
 * together serialise on the row, so exactly one of them runs; an instance that is down simply never claims, and the
 * next one to fire after the gap runs the job. No clock of an instance is trusted: the gap is measured with the
 * database's {@code now()}.
 */
@ApplicationScoped
public class ClusterJobs {

    private static final Logger LOG = Logger.getLogger(ClusterJobs.class);

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    /** This instance, as the claims name it: host/pid and a random part (two JVMs of one host differ). */
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    /**
     * Runs {@code work} if this instance claims {@code job} now, at least {@code minGap} after its last run anywhere in
     * the cluster (choose about half the job's period: the run after a skipped one is never late by more than that).
     *
     * @return whether this instance ran it
     */
    public boolean runOnce(String job, Duration minGap, Runnable work) {
        if (!claim(job, minGap, instance)) {
            LOG.debugf("%s: run by another instance less than %s ago", job, minGap);
            metrics.counter("hemolink.cluster.jobs.skipped", "job", job).increment();
            return false;
        }
        metrics.counter("hemolink.cluster.jobs.runs", "job", job).increment();
        work.run();
        return true;
    }

    /**
     * {@link #runOnce(String, Duration, Runnable)} for a {@code @Scheduled} method's run: the gap is half the
     * trigger's period (from this fire time to the next), so a job of every 5 minutes runs once per 5 minutes in the
     * cluster, and a daily cron once a day.
     */
    public boolean runOnce(String job, io.quarkus.scheduler.ScheduledExecution execution, Runnable work) {
        java.time.Instant fired = execution.getScheduledFireTime();
        java.time.Instant next = execution.getTrigger().getNextFireTime();
        Duration period = fired == null || next == null || !next.isAfter(fired) ? Duration.ofMinutes(1)
                : Duration.between(fired, next);
        return runOnce(job, period.dividedBy(2), work);
    }

    /** The claim of {@code job} by {@code owner}, committed in a transaction of its own. */
    boolean claim(String job, Duration minGap, String owner) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("""
                        insert into cluster_job (job, last_run, owner) values (?1, now(), ?2)
                        on conflict (job) do update set last_run = now(), owner = excluded.owner,
                                                        runs = cluster_job.runs + 1
                        where cluster_job.last_run <= now() - make_interval(secs => ?3)
                        returning job""")
                .setParameter(1, job).setParameter(2, owner).setParameter(3, minGap.toMillis() / 1000.0)
                .getResultList().isEmpty());
    }

    /** This instance's name in the claims. */
    public String instance() {
        return instance;
    }
}

package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Priority;
import io.hemolink.order.config.OrderConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The allocation lag and the admission rule built on it (ADR 0026). The lag is the age of the oldest order still
 * SUBMITTED (the inventory has not yet answered with its first allocation), among those submitted within
 * {@code hemolink.order.admission.look-back}; 0 when there is none. It is measured at most once per
 * {@code sample} (a query on the status index) and published as the gauges {@code hemolink_allocation_lag_seconds} and
 * {@code hemolink_allocation_backlog_orders} (all SUBMITTED orders, whatever their age).
 * While the lag is above {@code max-lag}, a new ROUTINE order is refused; URGENT and EMERGENCY never are.
 */
@ApplicationScoped
public class AllocationLag {

    /** One measurement: the lag, how many orders wait, and when it was taken. */
    public record Reading(Duration lag, long waiting, Instant at) {
    }

    /** Why an order is not taken now, and when to try again. */
    public record Refusal(String detail, Duration retryAfter) {
    }

    @Inject
    EntityManager em;

    @Inject
    OrderConfig config;

    @Inject
    MeterRegistry registry;

    private volatile Reading last;

    @jakarta.annotation.PostConstruct
    void init() {
        Gauge.builder("hemolink.allocation.lag.seconds", this, l -> l.last == null ? 0 : l.last.lag().toMillis() / 1000.0)
                .description("age of the oldest order waiting for its first allocation (SUBMITTED), within the look-back")
                .register(registry);
        Gauge.builder("hemolink.allocation.backlog.orders", this, l -> l.last == null ? 0 : l.last.waiting())
                .description("orders waiting for their first allocation (SUBMITTED)")
                .register(registry);
    }

    /** Keeps the gauges and the health check current when no order comes in. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        measure(Instant.now());
    }

    /** The latest measurement, or null before the first. */
    public Reading last() {
        return last;
    }

    /** A measurement no older than {@code sample}. */
    public Reading current(Instant now) {
        Reading r = last;
        if (r != null && Duration.between(r.at(), now).compareTo(config.admission().sample()) < 0) {
            return r;
        }
        return measure(now);
    }

    /**
     * Whether an order of {@code priority} is taken now: empty when it is, else the refusal. Only ROUTINE orders are
     * ever refused (an EMERGENCY or URGENT one is the reason to keep the queue short).
     */
    public Optional<Refusal> admit(Priority priority, Instant now) {
        Duration bound = config.admission().maxLag();
        if (priority != Priority.ROUTINE || bound.isZero() || bound.isNegative()) {
            return Optional.empty();
        }
        Reading r = current(now);
        if (r.lag().compareTo(bound) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Refusal("allocation is behind: the oldest of " + r.waiting() + " waiting orders was submitted "
                + r.lag().toSeconds() + " s ago (bound " + bound.toSeconds() + " s); ROUTINE orders are taken again once"
                + " it catches up, URGENT and EMERGENCY are taken now", config.admission().retryAfter()));
    }

    private Reading measure(Instant now) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                        select count(*),
                               min(coalesce(amended_at, created_at)) filter (where coalesce(amended_at, created_at) > ?1)
                        from blood_order where status = 'SUBMITTED'""")
                .setParameter(1, OffsetDateTime.ofInstant(now.minus(config.admission().lookBack()), ZoneOffset.UTC))
                .getSingleResult());
        long waiting = ((Number) row[0]).longValue();
        Instant oldest = toInstant(row[1]);
        Duration lag = oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
        Reading r = new Reading(lag, waiting, now);
        last = r;
        return r;
    }

    private static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}

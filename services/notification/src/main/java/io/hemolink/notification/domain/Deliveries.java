package io.hemolink.notification.domain;

import io.hemolink.common.db.SqlValues;
import io.hemolink.common.tracing.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The deliveries (table {@code delivery}): made by fan-out in the consumer's transaction, claimed and settled by the
 * delivery worker, listed as each subscription's delivery log. All SQL of the table is here.
 */
@ApplicationScoped
public class Deliveries {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";

    @Inject
    EntityManager em;

    /** Who receives one event: the subscriptions of these locations, or of every location. */
    public record Audience(Collection<String> locations, boolean everyLocation) {

        public static Audience of(String... locations) {
            return new Audience(List.of(locations), false);
        }

        public static Audience everyone() {
            return new Audience(List.of(), true);
        }
    }

    /**
     * One statement: a delivery row for every subscription of {@code audience} that asked for {@code kind}, numbered
     * with the subscription's next sequence (so its deliveries keep the order of the events), at most one per
     * subscription and event id. In the caller's transaction, with the consumed event's processed-event record.
     *
     * @return the rows made
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int fanOut(EventKind kind, Audience audience, String eventId, String ceType, String body,
                      Traces.TraceContext trace) {
        return em.createNativeQuery("""
                        with target as (
                            update subscription set next_delivery_seq = next_delivery_seq + 1
                            where cast(?1 as text) = any(events)
                              and (?2 or location_id = any(string_to_array(?3, ',')))
                            returning id, next_delivery_seq
                        )
                        insert into delivery (subscription_id, seq, event_id, event, ce_type, body, next_attempt_at,
                                              traceparent, tracestate)
                        select id, next_delivery_seq, ?4, ?1, ?5, ?6, now(), ?7, ?8 from target
                        on conflict (subscription_id, event_id) do nothing""")
                .setParameter(1, kind.name())
                .setParameter(2, audience.everyLocation())
                .setParameter(3, String.join(",", audience.locations()))
                .setParameter(4, eventId)
                .setParameter(5, ceType)
                .setParameter(6, body)
                .setParameter(7, trace == null ? null : trace.traceparent())
                .setParameter(8, trace == null ? null : trace.tracestate())
                .executeUpdate();
    }

    /** A delivery claimed for one attempt: where to, the sealed secret, the body, its trace, and the claim's token. */
    public record Claimed(long id, UUID subscriptionId, String url, String secretSealed, String body, int attempts,
                          String eventId, Traces.TraceContext trace, UUID token) {
    }

    /**
     * Claims up to {@code limit} deliveries that are due, each the oldest pending one of its subscription (so a
     * subscription's n+1 is never sent before n is settled), and none claimed by another instance: the rows are
     * locked with {@code for update skip locked} while the lease is set, so two instances never take the same one.
     * A lease that ran out (its instance died mid-send) is taken again: at-least-once.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Claimed> claim(int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        with due as (
                            select d.id from delivery d
                            where d.status = 'PENDING' and d.next_attempt_at <= now()
                              and (d.lease_until is null or d.lease_until < now())
                              and not exists (select 1 from delivery e where e.subscription_id = d.subscription_id
                                              and e.status = 'PENDING' and e.seq < d.seq)
                            order by d.next_attempt_at, d.id
                            limit ?1
                            for update of d skip locked
                        )
                        update delivery d set lease_until = now() + make_interval(secs => ?2), lease_token = ?3
                        from due, subscription s
                        where d.id = due.id and s.id = d.subscription_id
                        returning d.id, d.subscription_id, s.url, s.secret_sealed, d.body, d.attempts, d.event_id,
                                  d.traceparent, d.tracestate""")
                .setParameter(1, limit)
                .setParameter(2, lease.toMillis() / 1000.0)
                .setParameter(3, token)
                .getResultList();
        return rows.stream().map(r -> new Claimed(((Number) r[0]).longValue(), SqlValues.uuid(r[1]), (String) r[2],
                (String) r[3], (String) r[4], ((Number) r[5]).intValue(), (String) r[6],
                r[7] == null ? null : new Traces.TraceContext((String) r[7], (String) r[8]), token)).toList();
    }

    /** The attempt was answered 2xx: delivered. False when the claim was lost (the subscription was deleted). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean delivered(Claimed c, String lastStatus) {
        return em.createNativeQuery("""
                        update delivery set status = 'DELIVERED', attempts = attempts + 1, last_status = ?1,
                            delivered_at = now(), finished_at = now(), next_attempt_at = null,
                            lease_until = null, lease_token = null
                        where id = ?2 and lease_token = ?3""")
                .setParameter(1, clip(lastStatus)).setParameter(2, c.id()).setParameter(3, c.token())
                .executeUpdate() == 1;
    }

    /**
     * The attempt failed: tried again after {@code pause}, or given up (FAILED, kept in the log) once the delivery is
     * older than {@code retryFor}; the subscription's next delivery then goes on.
     *
     * @return the delivery's status after this (PENDING or FAILED), or null when the claim was lost
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String failed(Claimed c, String lastStatus, Duration pause, Duration retryFor) {
        @SuppressWarnings("unchecked")
        List<Object> status = em.createNativeQuery("""
                        update delivery set attempts = attempts + 1, last_status = ?1, lease_until = null, lease_token = null,
                            status = case when created_at <= now() - make_interval(secs => ?2) then 'FAILED' else 'PENDING' end,
                            finished_at = case when created_at <= now() - make_interval(secs => ?2) then now() end,
                            next_attempt_at = case when created_at <= now() - make_interval(secs => ?2) then null
                                                   else now() + make_interval(secs => ?3) end
                        where id = ?4 and lease_token = ?5
                        returning status""")
                .setParameter(1, clip(lastStatus))
                .setParameter(2, retryFor.toMillis() / 1000.0)
                .setParameter(3, pause.toMillis() / 1000.0)
                .setParameter(4, c.id()).setParameter(5, c.token())
                .getResultList();
        return status.isEmpty() ? null : (String) status.get(0);
    }

    /** One line of a subscription's delivery log. */
    public record Delivery(long seq, String eventId, EventKind event, String ceType, String status, int attempts,
                           String lastStatus, Instant createdAt, Instant deliveredAt, Instant nextAttemptAt) {
    }

    /** A subscription's deliveries, newest first, before {@code beforeSeq}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Delivery> log(UUID subscription, long beforeSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select seq, event_id, event, ce_type, status, attempts, last_status, created_at, delivered_at,
                               next_attempt_at
                        from delivery where subscription_id = ?1 and seq < ?2 order by seq desc limit ?3""")
                .setParameter(1, subscription).setParameter(2, beforeSeq).setParameter(3, limit)
                .getResultList();
        return rows.stream().map(r -> new Delivery(((Number) r[0]).longValue(), (String) r[1],
                EventKind.valueOf((String) r[2]), (String) r[3], (String) r[4], ((Number) r[5]).intValue(),
                (String) r[6], SqlValues.instant(r[7]), SqlValues.instant(r[8]), SqlValues.instant(r[9]))).toList();
    }

    /** Seconds since the oldest pending delivery was made (0 when none is pending). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public double oldestPendingAgeSeconds() {
        Object age = em.createNativeQuery("select coalesce(extract(epoch from now() - min(created_at)), 0) from delivery"
                + " where status = 'PENDING'").getSingleResult();
        return ((Number) age).doubleValue();
    }

    /** Deletes finished deliveries (DELIVERED or FAILED) finished before {@code cutoff}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purgeFinishedBefore(Instant cutoff) {
        return em.createNativeQuery("delete from delivery where status <> 'PENDING' and finished_at < ?1")
                .setParameter(1, SqlValues.utc(cutoff)).executeUpdate();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 499) + "…";
    }
}

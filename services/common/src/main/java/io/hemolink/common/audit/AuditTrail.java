package io.hemolink.common.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;

/**
 * The append-only record of every state-changing call of this service ({@code audit_entry}; the table refuses updates,
 * deletes and truncation). {@link AuditFilter} writes one entry per call once it is answered; the station reads them
 * through {@link AuditResource}, and the gateway merges every service's trail.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final TypeReference<List<AuditedChanges.Change>> CHANGES = new TypeReference<>() {
    };

    /**
     * One recorded call. {@code path} never carries the query string; bodies are never recorded. {@code status} is
     * null for an entry written with its change whose answer is not recorded yet (or never was: the service stopped
     * between the commit and the answer).
     */
    public record Entry(long seq, String service, Instant at, String actor, String locationId, String roles,
                        String method, String path, Integer status, boolean replayed, String requestId,
                        List<AuditedChanges.Change> changes) {
    }

    /** What to list: every field optional; {@code before} is the seq to list below (newest first). */
    public record Query(String actor, String locationId, Instant from, Instant to, long before, int limit) {
    }

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "hemolink.service.name")
    String service;

    private Counter failures;

    @PostConstruct
    void metrics() {
        failures = Counter.builder("hemolink.audit.failures")
                .description("Audit entries that could not be written (each is logged with its request id)")
                .register(registry);
    }

    /** Writes one entry in a transaction of its own; a failure is logged with the request id and counted. */
    public void record(Entry e) {
        try {
            QuarkusTransaction.requiringNew().run(() -> insert(e));
        } catch (RuntimeException ex) {
            failed(ex, e);
        }
    }

    /**
     * Writes the entry of a call inside the transaction of its change (there must be one), with no status yet: it
     * commits exactly when the change does, so a crash can no longer keep the change and lose the entry.
     *
     * @return the entry's seq, to {@link #complete} it once the call is answered
     */
    @jakarta.transaction.Transactional(jakarta.transaction.Transactional.TxType.MANDATORY)
    public long recordInTransaction(Entry e) {
        return insert(e);
    }

    /** Sets the answer of an entry written with its change: the status, whether it was a replay, every committed event. */
    public void complete(long seq, Entry answered) {
        try {
            String changes = json(answered.changes());
            int updated = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "update audit_entry set status = ?1, replayed = ?2, changes = ?3 where seq = ?4 and status is null")
                    .setParameter(1, answered.status())
                    .setParameter(2, answered.replayed())
                    .setParameter(3, changes)
                    .setParameter(4, seq)
                    .executeUpdate());
            if (updated != 1) {
                throw new IllegalStateException("no open audit entry " + seq);
            }
        } catch (RuntimeException ex) {
            failed(ex, answered);
        }
    }

    private long insert(Entry e) {
        return ((Number) em.createNativeQuery("""
                        insert into audit_entry (at, actor, location_id, roles, method, path, status, replayed,
                                                 request_id, changes)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) returning seq""")
                .setParameter(1, utc(e.at()))
                .setParameter(2, cut(e.actor(), 200))
                .setParameter(3, cut(e.locationId(), 40))
                .setParameter(4, cut(e.roles(), 300))
                .setParameter(5, e.method())
                .setParameter(6, cut(e.path(), 500))
                .setParameter(7, e.status())
                .setParameter(8, e.replayed())
                .setParameter(9, e.requestId())
                .setParameter(10, json(e.changes()))
                .getSingleResult()).longValue();
    }

    private String json(List<AuditedChanges.Change> changes) {
        try {
            return mapper.writeValueAsString(changes);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("audit changes cannot be written as JSON", ex);
        }
    }

    private void failed(RuntimeException ex, Entry e) {
        failures.increment();
        LOG.errorf(ex, "audit entry of request %s (%s %s by %s, status %s) could not be written", e.requestId(),
                e.method(), e.path(), e.actor(), e.status());
    }

    /** Entries newest first, one more than {@code limit} when there are more. */
    public List<Entry> list(Query q) {
        StringBuilder sql = new StringBuilder("""
                select seq, at, actor, location_id, roles, method, path, status, replayed, request_id, changes
                from audit_entry where seq < ?1""");
        List<Object> params = new ArrayList<>();
        params.add(q.before());
        if (q.actor() != null) {
            params.add(q.actor());
            sql.append(" and actor = ?").append(params.size());
        }
        if (q.locationId() != null) {
            params.add(q.locationId());
            sql.append(" and location_id = ?").append(params.size());
        }
        if (q.from() != null) {
            params.add(utc(q.from()));
            sql.append(" and at >= ?").append(params.size());
        }
        if (q.to() != null) {
            params.add(utc(q.to()));
            sql.append(" and at < ?").append(params.size());
        }
        sql.append(" order by seq desc limit ").append(q.limit() + 1);
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = em.createNativeQuery(sql.toString());
            for (int i = 0; i < params.size(); i++) {
                query.setParameter(i + 1, params.get(i));
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            List<Entry> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                out.add(new Entry(((Number) r[0]).longValue(), service, instant(r[1]), (String) r[2], (String) r[3],
                        (String) r[4], (String) r[5], (String) r[6], r[7] == null ? null : ((Number) r[7]).intValue(), (Boolean) r[8],
                        (String) r[9], changes((String) r[10])));
            }
            return out;
        });
    }

    private List<AuditedChanges.Change> changes(String json) {
        try {
            return mapper.readValue(json, CHANGES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit changes are not readable", e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

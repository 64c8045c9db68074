package io.hemolink.storagepoint.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.ReplenishmentRequested;
import io.hemolink.storagepoint.config.StoragePointConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;
import static io.hemolink.common.db.SqlValues.uuid;

/**
 * Par levels: after every change of a point's stock picture (and on schedule), a line whose usable stock (available,
 * not held, not expired) is below {@code min} asks the station for {@code target - stock} in one
 * ReplenishmentRequested per point and round. A line has at most one open request (a partial unique index), closed
 * when the order the request became is received or cancelled, or when stock is back at target. After an order closed
 * a line, the line waits {@code replenishment.settle} for the received units to arrive before it may ask again.
 */
@ApplicationScoped
public class Replenishment {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(Replenishment.class);

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    StoragePointConfig config;

    /** One par line as it stands. */
    public record Line(Component component, Abo abo, RhD rhd, int min, int target, int stock, UUID openRequest) {
    }

    /** The par lines of a point with their usable stock and open request. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Line> lines(String pointId, Instant now) {
        List<Line> out = new ArrayList<>();
        for (Object[] row : rows(pointId, now)) {
            out.add(new Line(Component.valueOf((String) row[0]), Abo.valueOf((String) row[1]), RhD.valueOf((String) row[2]),
                    ((Number) row[3]).intValue(), ((Number) row[4]).intValue(), ((Number) row[5]).intValue(),
                    uuid(row[6])));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String pointId, Instant now) {
        return em.createNativeQuery("""
                        select p.component, p.abo, p.rhd, p.min_quantity, p.target_quantity,
                               coalesce((select sum(u.quantity) from point_unit u
                                         where u.storage_point_id = p.storage_point_id and u.component = p.component
                                           and u.abo = p.abo and u.rhd = p.rhd and u.status = 'AVAILABLE'
                                           and u.hold_excursion_id is null and u.expires_at > ?2), 0) as stock,
                               (select r.request_id from replenishment_line r
                                where r.storage_point_id = p.storage_point_id and r.component = p.component
                                  and r.abo = p.abo and r.rhd = p.rhd and r.closed_at is null) as open_request,
                               (select max(r.closed_at) from replenishment_line r
                                where r.storage_point_id = p.storage_point_id and r.component = p.component
                                  and r.abo = p.abo and r.rhd = p.rhd and r.close_reason in ('RECEIVED', 'CANCELLED')) as order_closed
                        from par_level p where p.storage_point_id = ?1
                        order by p.component, p.abo, p.rhd""")
                .setParameter(1, pointId)
                .setParameter(2, utc(now))
                .getResultList();
    }

    /**
     * Evaluates the par levels of {@code pointId} (locked for it); returns the request placed, if any.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ReplenishmentRequested> evaluate(String pointId, Instant now) {
        if (StoragePoint.locked(pointId).isEmpty()) {
            return Optional.empty();
        }
        List<ReplenishmentRequested.Line> wanted = new ArrayList<>();
        List<Integer> stocks = new ArrayList<>();
        for (Object[] row : rows(pointId, now)) {
            io.hemolink.common.domain.ParLevel par = new io.hemolink.common.domain.ParLevel(((Number) row[3]).intValue(),
                    ((Number) row[4]).intValue());
            int stock = ((Number) row[5]).intValue();
            UUID open = uuid(row[6]);
            Instant orderClosed = row[7] == null ? null : instant(row[7]);
            if (open != null) {
                if (stock >= par.target()) {
                    em.createNativeQuery("""
                                    update replenishment_line set closed_at = ?1, close_reason = 'STOCK_AT_TARGET'
                                    where request_id = ?2 and component = ?3 and abo = ?4 and rhd = ?5 and closed_at is null""")
                            .setParameter(1, utc(now)).setParameter(2, open).setParameter(3, row[0])
                            .setParameter(4, row[1]).setParameter(5, row[2]).executeUpdate();
                }
                continue;
            }
            boolean settling = orderClosed != null && orderClosed.plus(config.replenishment().settle()).isAfter(now);
            // the point's open request is its order in transit (one at a time), so nothing else is counted
            if (par.isBelow(stock) && !settling) {
                wanted.add(new ReplenishmentRequested.Line(Component.valueOf((String) row[0]), Abo.valueOf((String) row[1]),
                        RhD.valueOf((String) row[2]), par.topUp(stock, 0, 0, 0)));
                stocks.add(stock);
            }
        }
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        UUID requestId = UUID.randomUUID();
        for (int i = 0; i < wanted.size(); i++) {
            ReplenishmentRequested.Line l = wanted.get(i);
            em.createNativeQuery("""
                            insert into replenishment_line (request_id, storage_point_id, component, abo, rhd, stock_quantity,
                                                            quantity, requested_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                    .setParameter(1, requestId).setParameter(2, pointId).setParameter(3, l.component().name())
                    .setParameter(4, l.abo().name()).setParameter(5, l.rhd().name()).setParameter(6, stocks.get(i))
                    .setParameter(7, l.quantity()).setParameter(8, utc(now))
                    .executeUpdate();
        }
        ReplenishmentRequested request = new ReplenishmentRequested(requestId.toString(), pointId, List.copyOf(wanted), now);
        outbox.publish(Events.REPLENISHMENT_REQUESTED, pointId, "replenishment/" + requestId, request);
        LOG.infof("storage point %s below par on %d line(s): replenishment %s requested", pointId, wanted.size(), requestId);
        return Optional.of(request);
    }

    /** The order placed for a request was received or cancelled: its open lines close; returns the point, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> orderClosed(String orderId, String reason, Instant now) {
        UUID requestId;
        try {
            requestId = UUID.fromString(orderId);
        } catch (IllegalArgumentException | NullPointerException notOurs) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<String> points = em.createNativeQuery("""
                        update replenishment_line set closed_at = ?1, close_reason = ?2
                        where request_id = ?3 and closed_at is null returning storage_point_id""")
                .setParameter(1, utc(now)).setParameter(2, reason).setParameter(3, requestId)
                .getResultList();
        return points.stream().findFirst();
    }

    @Scheduled(every = "${hemolink.storage-point.replenishment.check:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("replenishment", execution, () -> evaluateAll(Instant.now()));
    }

    /** Evaluates every point, each in its own transaction; returns how many requests were placed. */
    public int evaluateAll(Instant now) {
        List<String> points = QuarkusTransaction.requiringNew().call(() ->
                StoragePoint.<StoragePoint>listAll().stream().map(p -> p.id).sorted().toList());
        int placed = 0;
        for (String p : points) {
            placed += QuarkusTransaction.requiringNew().call(() -> evaluate(p, now).isPresent() ? 1 : 0);
        }
        return placed;
    }
}

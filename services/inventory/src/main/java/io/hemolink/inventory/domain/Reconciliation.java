package io.hemolink.inventory.domain;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * Checks the stock picture against itself, in one consistent snapshot (REPEATABLE READ, read only):
 * <ul>
 *   <li>every level row equals the AVAILABLE units of its key (bags and quantity), and every key with available units
 *   has its row;</li>
 *   <li>every unit is where, and in the state, its last ledger movement put it (one place, one state);</li>
 *   <li>every RESERVED or IN_TRANSIT unit names its order.</li>
 * </ul>
 * A difference means a write path bypassed the ledger; the answer names the first {@value #LIMIT} of each kind.
 */
@ApplicationScoped
public class Reconciliation {

    static final int LIMIT = 100;

    public record LevelDifference(String locationId, String component, String abo, String rhd, int levelBags,
                                  int unitBags, int levelQuantity, int unitQuantity) {
    }

    public record LedgerDifference(String din, String component, String status, String locationId,
                                   @Schema(nullable = true) String lastMovementStatus,
                                   @Schema(nullable = true) String lastMovementLocation) {
    }

    public record UnitWithoutOrder(String din, String component, String status) {
    }

    public record Report(Instant asOf, long units, boolean consistent, List<LevelDifference> levelDifferences,
                         List<LedgerDifference> ledgerDifferences, List<UnitWithoutOrder> unitsWithoutOrder) {
    }

    @Inject
    EntityManager em;

    public Report run() {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("set transaction isolation level repeatable read, read only").executeUpdate();
            long units = ((Number) em.createNativeQuery("select count(*) from unit").getSingleResult()).longValue();
            @SuppressWarnings("unchecked")
            List<Object[]> levels = em.createNativeQuery("""
                            select coalesce(l.location_id, u.location_id), coalesce(l.component, u.component),
                                   coalesce(l.abo, u.abo), coalesce(l.rhd, u.rhd),
                                   coalesce(l.bags, 0), coalesce(u.bags, 0), coalesce(l.quantity, 0), coalesce(u.quantity, 0)
                            from stock_level l
                            full join (select location_id, component, abo, rhd, count(*) as bags, sum(quantity) as quantity
                                       from unit where status = 'AVAILABLE'
                                       group by location_id, component, abo, rhd) u
                              on u.location_id = l.location_id and u.component = l.component
                             and u.abo = l.abo and u.rhd = l.rhd
                            where coalesce(l.bags, 0) <> coalesce(u.bags, 0)
                               or coalesce(l.quantity, 0) <> coalesce(u.quantity, 0)
                            order by 1, 2, 3, 4 limit ?1""")
                    .setParameter(1, LIMIT).getResultList();
            @SuppressWarnings("unchecked")
            List<Object[]> ledger = em.createNativeQuery("""
                            select u.din, u.component, u.status, u.location_id, m.status_after,
                                   coalesce(m.to_location_id, m.from_location_id)
                            from unit u
                            left join lateral (select status_after, to_location_id, from_location_id from unit_movement
                                               where unit_id = u.id order by id desc limit 1) m on true
                            where m.status_after is distinct from u.status
                               or coalesce(m.to_location_id, m.from_location_id) is distinct from u.location_id
                            order by u.id limit ?1""")
                    .setParameter(1, LIMIT).getResultList();
            @SuppressWarnings("unchecked")
            List<Object[]> orphans = em.createNativeQuery("""
                            select din, component, status from unit
                            where status in ('RESERVED', 'IN_TRANSIT') and order_id is null
                            order by id limit ?1""")
                    .setParameter(1, LIMIT).getResultList();
            List<LevelDifference> l = levels.stream().map(r -> new LevelDifference((String) r[0], (String) r[1],
                    (String) r[2], (String) r[3], num(r[4]), num(r[5]), num(r[6]), num(r[7]))).toList();
            List<LedgerDifference> d = ledger.stream().map(r -> new LedgerDifference(((String) r[0]).strip(),
                    (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5])).toList();
            List<UnitWithoutOrder> o = orphans.stream().map(r -> new UnitWithoutOrder(((String) r[0]).strip(),
                    (String) r[1], (String) r[2])).toList();
            return new Report(Instant.now(), units, l.isEmpty() && d.isEmpty() && o.isEmpty(), l, d, o);
        });
    }

    private static int num(Object o) {
        return ((Number) o).intValue();
    }
}

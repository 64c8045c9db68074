package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.tx.AfterCommit;
import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.hemolink.contracts.events.inventory.UnitMoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitAttributes;
import io.hemolink.contracts.blood.Uom;

/**
 * The only write path of stock: a movement is appended to the ledger, the unit takes its new state and place, the
 * stock levels of the keys it left and entered are adjusted (the level row is the lock that serialises one stock
 * key), and the movement and the new levels go to the outbox, all in the caller's transaction.
 * Stock levels count AVAILABLE units: what a location can use now, with how many of them expire within 72 h (kept
 * here as bags move, recounted by {@link ExpirySweep} as time passes).
 */
@ApplicationScoped
public class StockLedger {

    /** What a movement records beyond the unit's new state. */
    public record Details(String orderId, String reason, String patientRef, String actor, Instant occurredAt,
                          DiscardReason reasonCode) {
        public Details {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(occurredAt, "occurredAt");
        }

        /** A movement that wastes nothing (no reason code). */
        public Details(String orderId, String reason, String patientRef, String actor, Instant occurredAt) {
            this(orderId, reason, patientRef, actor, occurredAt, null);
        }

        public static Details by(String actor, Instant occurredAt) {
            return new Details(null, null, null, actor, occurredAt);
        }
    }

    /** A bag allocation has just reserved (status already RESERVED) for a line of an order. */
    public record Reserved(long id, String din, Component component, String division, Abo abo, RhD rhd, int quantity,
                           Uom uom, Instant expiresAt, String equipmentId, String locationId, UnitAttributes attributes,
                           String orderId, int lineNo) {
    }

    /** A bag expiring within this is counted as expiring soon on its level. */
    public static final Duration EXPIRING_SOON = Duration.ofHours(72);

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    IssueHistory issues;

    @Inject
    SupplyLevels levels;

    @Inject
    AfterCommit afterCommit;

    @Inject
    Backorders backorders;

    @Inject
    StockPicture picture;

    /**
     * Applies a movement to {@code unit} (a new unit is persisted with its first movement).
     *
     * @param newStatus   the unit's status afterwards
     * @param newLocation where the unit is afterwards
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UnitMovement record(Unit unit, MovementType type, UnitStatus newStatus, String newLocation, Details details) {
        String oldLocation = unit.locationId;
        UnitStatus oldStatus = unit.status;
        boolean wasCounted = unit.status == UnitStatus.AVAILABLE;
        boolean isCounted = newStatus == UnitStatus.AVAILABLE;
        unit.status = newStatus;
        unit.locationId = newLocation;
        if (details.orderId() != null) {
            unit.orderId = details.orderId();
        }
        if (unit.id == null) {
            unit.persist();
        }
        UnitMovement m = new UnitMovement();
        m.unitId = unit.id;
        m.type = type;
        m.fromLocationId = oldLocation;
        m.toLocationId = newLocation;
        m.statusAfter = newStatus;
        m.orderId = details.orderId();
        m.reason = details.reason();
        m.reasonCode = details.reasonCode();
        m.patientRef = details.patientRef();
        m.actor = details.actor();
        m.occurredAt = details.occurredAt();
        m.recordedAt = Instant.now();
        m.persist();
        em.flush();
        picture.changed(); // the read side's hook: the stock picture is read again once this commits

        outbox.publish(Events.UNIT_MOVED, unit.din, "unit/" + unit.din + "/" + unit.component,
                new UnitMoved(unit.din, unit.component, unit.division.isEmpty() ? null : unit.division, unit.abo, unit.rhd,
                        unit.quantity, unit.uom, type, oldLocation, newLocation, newStatus, unit.orderId,
                        details.reason(), details.actor(), details.occurredAt(), unit.expiresAt, unit.equipmentId,
                        unit.attributes(), details.reasonCode()));
        if (type == MovementType.TRANSFUSED) {
            issues.record(newLocation, unit, details.occurredAt());
        } else if (type == MovementType.DISPATCHED) {
            issues.record(oldLocation, unit, details.occurredAt());
        }
        if (oldStatus == UnitStatus.RESERVED && newStatus != UnitStatus.RESERVED && newStatus != UnitStatus.IN_TRANSIT
                && unit.orderLine != null) {
            // a reserved bag lost before dispatch (expired, quarantined, discarded, given back): its line is short again
            em.createNativeQuery("""
                            update demand_line set allocated = greatest(allocated - ?1, 0)
                            where order_id = ?2 and line_no = ?3 and closed_at is null""")
                    .setParameter(1, unit.quantity).setParameter(2, unit.orderId).setParameter(3, unit.orderLine)
                    .executeUpdate();
        }
        if (isCounted && LocationId.STATION.equals(newLocation)) {
            afterCommit.collect("stock-arrived", new Allocator.StockKey(unit.component, unit.abo, unit.rhd),
                    backorders::stockArrived);
        }
        boolean sameKey = Objects.equals(oldLocation, newLocation);
        if (wasCounted && isCounted && sameKey) {
            return m;
        }
        Instant now = Instant.now();
        int soon = unit.expiresAt.isBefore(now.plus(EXPIRING_SOON)) ? 1 : 0;
        if (wasCounted) {
            adjust(oldLocation, unit.component, unit.abo, unit.rhd, -1, unit.quantity, soon, now);
        }
        if (isCounted) {
            adjust(newLocation, unit.component, unit.abo, unit.rhd, +1, unit.quantity, soon, now);
        }
        return m;
    }

    /**
     * Bags allocation has reserved in one transaction (their rows already RESERVED for their lines) go through the
     * ledger together: one statement appends every movement, each bag's {@code UnitMoved} goes to the outbox, and
     * each stock key's level changes once, with one {@code StockLevelChanged} per key (keys in one global order).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reserved(List<Reserved> bags, String actor, Instant at) {
        if (bags.isEmpty()) {
            return;
        }
        picture.changed(); // levels change here too: the stock picture is read again once this commits
        em.flush();
        // in the order the bags were taken: the ledger's sequence is the order of the reservations
        em.createNativeQuery("""
                        insert into unit_movement (unit_id, type, from_location_id, to_location_id, status_after, order_id,
                                                   reason, actor, occurred_at, recorded_at)
                        select u.id, 'RESERVED', u.location_id, u.location_id, 'RESERVED', u.order_id,
                               'line ' || u.order_line || ' of order ' || u.order_id, ?2, ?3, now()
                        from unnest(cast(?1 as bigint[])) with ordinality as t(id, n) join unit u on u.id = t.id
                        order by t.n""")
                .setParameter(1, "{" + String.join(",", bags.stream().map(b -> String.valueOf(b.id())).toList()) + "}")
                .setParameter(2, actor).setParameter(3, io.hemolink.common.db.SqlValues.utc(at))
                .executeUpdate();
        Instant now = Instant.now();
        Map<String, int[]> byKey = new TreeMap<>();
        Map<String, Reserved> sample = new HashMap<>();
        for (Reserved b : bags) {
            String reason = "line " + b.lineNo() + " of order " + b.orderId();
            outbox.publish(Events.UNIT_MOVED, b.din(), "unit/" + b.din() + "/" + b.component(),
                    new UnitMoved(b.din(), b.component(), b.division() == null || b.division().isEmpty() ? null
                            : b.division(), b.abo(), b.rhd(), b.quantity(), b.uom(), MovementType.RESERVED, b.locationId(),
                            b.locationId(), UnitStatus.RESERVED, b.orderId(), reason, actor, at, b.expiresAt(),
                            b.equipmentId(), b.attributes(), null));
            String key = StockLevelChanged.key(b.locationId(), b.component(), b.abo(), b.rhd());
            int[] change = byKey.computeIfAbsent(key, k -> new int[3]);
            change[0]++;
            change[1] += b.quantity();
            change[2] += b.expiresAt().isBefore(now.plus(EXPIRING_SOON)) ? 1 : 0;
            sample.putIfAbsent(key, b);
        }
        byKey.forEach((key, change) -> {
            Reserved b = sample.get(key);
            adjust(b.locationId(), b.component(), b.abo(), b.rhd(), -change[0], change[1], change[2], now);
        });
    }

    /**
     * Changes a level by {@code bags} (negative: bags left it) of {@code quantity} in all, {@code soon} of them
     * expiring within 72 h, and publishes the new level.
     */
    private void adjust(String location, Component component, Abo abo, RhD rhd, int bags, int quantity, int soon,
                        Instant now) {
        // a decrement is a plain update (the CHECK on bags would refuse the negative insert row of an upsert
        // before the conflict is resolved); an increment creates the level the first time a key is stocked
        int sign = bags < 0 ? -1 : 1;
        String sql = sign < 0
                ? """
                  update stock_level set bags = bags - ?7, quantity = quantity - ?5,
                         expiring_soon = greatest(expiring_soon - ?6, 0), updated_at = now()
                  where location_id = ?1 and component = ?2 and abo = ?3 and rhd = ?4
                  returning bags, quantity, expiring_soon"""
                : """
                  insert into stock_level (location_id, component, abo, rhd, bags, quantity, expiring_soon, updated_at)
                  values (?1, ?2, ?3, ?4, ?7, ?5, ?6, now())
                  on conflict (location_id, component, abo, rhd) do update
                     set bags = stock_level.bags + excluded.bags,
                         quantity = stock_level.quantity + excluded.quantity,
                         expiring_soon = stock_level.expiring_soon + excluded.expiring_soon,
                         updated_at = now()
                  returning bags, quantity, expiring_soon""";
        Object[] row = (Object[]) em.createNativeQuery(sql)
                .setParameter(1, location)
                .setParameter(2, component.name())
                .setParameter(3, abo.name())
                .setParameter(4, rhd.name())
                .setParameter(5, quantity)
                .setParameter(6, soon)
                .setParameter(7, Math.abs(bags))
                .getSingleResult();
        int expiring = ((Number) row[2]).intValue();
        int total = ((Number) row[1]).intValue();
        Double days = levels.daysOfSupply(total, levels.averageDailyIssue(
                issues.issuedInWindow(location, component, abo, rhd)));
        StockLevelChanged level = new StockLevelChanged(location, component, abo, rhd,
                ((Number) row[0]).intValue(), total, component.uom(), expiring,
                days, levels.level(component.productClass(), days), now);
        outbox.publish(Events.STOCK_LEVEL_CHANGED,
                StockLevelChanged.key(location, component, abo, rhd), "stock/" + location, level);
    }
}

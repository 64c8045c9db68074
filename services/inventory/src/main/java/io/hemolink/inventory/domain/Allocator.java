package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.compat.CompatibilityTable;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.AllocationReleased;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Allocation of an order from the station's stock: for each line, whole bags whose quantities cover the line,
 * first-expiry-first-out among compatible bags (the exact group first; other groups in the order of the
 * compatibility table only when the order allows substitution), never a bag with less remaining shelf life than the
 * priority demands. Bags are taken with {@code FOR UPDATE SKIP LOCKED}, so competing allocations never take the
 * same bag, and reserved through the ledger. Rationing under shortage levels and backorder top-ups are not here yet.
 */
@ApplicationScoped
public class Allocator {

    /** How many candidate bags of one group one line looks at, first expiry first (an index range, not a scan). */
    private static final int CANDIDATES = 64;

    @Inject
    EntityManager em;

    @Inject
    StockLedger ledger;

    @Inject
    Outbox outbox;

    @Inject
    InventoryConfig config;

    private final CompatibilityTable compatibility = CompatibilityTable.defaults();

    @Transactional(Transactional.TxType.MANDATORY)
    public AllocationMade allocate(OrderSubmitted order) {
        Instant now = Instant.now();
        List<AllocationMade.Line> lines = new ArrayList<>();
        int covered = 0;
        int empty = 0;
        for (OrderLine line : order.lines()) {
            List<Unit> taken = allocateLine(order, line, now);
            int quantity = taken.stream().mapToInt(u -> u.quantity).sum();
            if (quantity >= line.quantity()) {
                covered++;
            } else if (taken.isEmpty()) {
                empty++;
            }
            lines.add(new AllocationMade.Line(line.lineNo(), quantity, taken.stream().map(Allocator::ref).toList()));
        }
        OrderStatus status = covered == order.lines().size() ? OrderStatus.ALLOCATED
                : empty == order.lines().size() ? OrderStatus.BACKORDERED : OrderStatus.PARTIALLY_ALLOCATED;
        AllocationMade made = new AllocationMade(order.orderId(), order.locationId(), status, lines, now);
        outbox.publish(Events.ALLOCATION_MADE, order.orderId(), "order/" + order.orderId(), made);
        return made;
    }

    private List<Unit> allocateLine(OrderSubmitted order, OrderLine line, Instant now) {
        Instant usableUntil = now.plus(minRemaining(order.priority(), line.component()));
        BloodGroup patient = BloodGroup.of(line.abo(), line.rhd());
        List<BloodGroup> groups = order.allowSubstitution()
                ? compatibility.donorChoices(line.component().productClass(), patient)
                : List.of(patient);
        List<Unit> taken = new ArrayList<>();
        int remaining = line.quantity();
        for (BloodGroup group : groups) {
            if (remaining <= 0) {
                break;
            }
            // candidates first expiry first from the index, unlocked; then each bag is locked on its own with
            // SKIP LOCKED and re-checked, so a competing allocation skips exactly the bags being taken, no more
            @SuppressWarnings("unchecked")
            List<Number> candidateIds = em.createNativeQuery("""
                            select id from unit where location_id = ?1 and component = ?2 and abo = ?3 and rhd = ?4
                            and status = 'AVAILABLE' and expires_at > ?5 order by expires_at, id limit ?6""")
                    .setParameter(1, LocationId.STATION)
                    .setParameter(2, line.component().name())
                    .setParameter(3, group.abo().name())
                    .setParameter(4, group.rhd().name())
                    .setParameter(5, java.time.OffsetDateTime.ofInstant(usableUntil, java.time.ZoneOffset.UTC))
                    .setParameter(6, CANDIDATES)
                    .getResultList();
            List<Unit> candidates = new ArrayList<>();
            for (Number id : candidateIds) {
                if (remaining - candidates.stream().mapToInt(u -> u.quantity).sum() <= 0) {
                    break;
                }
                List<?> locked = em.createNativeQuery(
                                "select id from unit where id = ?1 and status = 'AVAILABLE' for update skip locked")
                        .setParameter(1, id.longValue())
                        .getResultList();
                if (!locked.isEmpty()) {
                    Unit u = em.find(Unit.class, id.longValue());
                    em.refresh(u);
                    candidates.add(u);
                }
            }
            for (Unit u : candidates) {
                if (remaining <= 0) {
                    break;
                }
                ledger.record(u, MovementType.RESERVED, UnitStatus.RESERVED, u.locationId,
                        new StockLedger.Details(order.orderId(), "line " + line.lineNo() + " of order " + order.orderId(),
                                null, "system:allocation", now));
                taken.add(u);
                remaining -= u.quantity;
            }
        }
        return taken;
    }

    /** Gives an order's reserved bags back to stock (the order was cancelled). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Unit> release(String orderId, String reason, String actor) {
        List<Unit> reserved = em.createQuery("from Unit u where u.orderId = :order and u.status = :reserved order by u.id",
                        Unit.class)
                .setParameter("order", orderId)
                .setParameter("reserved", UnitStatus.RESERVED)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        Instant now = Instant.now();
        for (Unit u : reserved) {
            ledger.record(u, MovementType.UNRESERVED, UnitStatus.AVAILABLE, u.locationId,
                    new StockLedger.Details(null, reason, null, actor, now));
            u.orderId = null;
        }
        if (!reserved.isEmpty()) {
            outbox.publish(Events.ALLOCATION_RELEASED, orderId, "order/" + orderId,
                    new AllocationReleased(orderId, reserved.stream().map(Allocator::ref).toList(), reason, now));
        }
        return reserved;
    }

    Duration minRemaining(Priority priority, Component component) {
        Duration configured = switch (priority) {
            case ROUTINE -> config.allocation().minRemaining().routine();
            case URGENT -> config.allocation().minRemaining().urgent();
            case EMERGENCY -> config.allocation().minRemaining().emergency();
        };
        Duration cap = component.shelfLife().dividedBy(5);
        return configured.compareTo(cap) > 0 ? cap : configured;
    }

    private static UnitRef ref(Unit u) {
        return new UnitRef(u.din, u.component, u.division.isEmpty() ? null : u.division, u.abo, u.rhd, u.quantity, u.expiresAt);
    }
}

package io.hemolink.order.domain;

import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An order of a hospital or storage point, with its lines, the bags allocated to them and every status change.
 * The lifecycle rules (which status may follow which) are here; {@link Orders} applies them to requests and events.
 */
@Entity
@Table(name = "blood_order")
public class BloodOrder extends PanacheEntityBase {

    /** Statuses before dispatch: allocation may still change, the order may be cancelled. */
    public static final Set<OrderStatus> BEFORE_DISPATCH = EnumSet.of(OrderStatus.SUBMITTED, OrderStatus.ALLOCATED,
            OrderStatus.PARTIALLY_ALLOCATED, OrderStatus.BACKORDERED);

    /** Statuses an allocation event may set. */
    public static final Set<OrderStatus> ALLOCATION_RESULTS = EnumSet.of(OrderStatus.ALLOCATED,
            OrderStatus.PARTIALLY_ALLOCATED, OrderStatus.BACKORDERED);

    /** Statuses from which the station may dispatch: something is allocated. */
    public static final Set<OrderStatus> DISPATCHABLE = EnumSet.of(OrderStatus.ALLOCATED, OrderStatus.PARTIALLY_ALLOCATED);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public String id;

    public String locationId;

    @Enumerated(EnumType.STRING)
    public Priority priority;

    @Enumerated(EnumType.STRING)
    public OrderStatus status;

    public Instant createdAt;

    public Instant neededBy;

    public Instant dueBy;

    public boolean allowSubstitution;

    public String notes;

    public String standingOrderId;

    /** When the service level was found breached; null while it is kept. */
    public Instant breachedAt;

    /** The time of the latest allocation event applied: an older one changes nothing. */
    public Instant allocationAt;

    public String createdBy;

    /** How many times the order was amended (0: never); an allocation for an earlier revision changes nothing. */
    public int revision;

    /** When it was last amended (it waits for its allocation again from then); null when never. */
    public Instant amendedAt;

    @Version
    public long version;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("lineNo")
    public List<BloodOrderLine> lines = new ArrayList<>();

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL)
    @OrderBy("id")
    public List<StatusChange> history = new ArrayList<>();

    public boolean isBeforeDispatch() {
        return BEFORE_DISPATCH.contains(status);
    }

    /** Moves to {@code to} and records it in the history, also when the status stays (an amendment). */
    public void record(OrderStatus to, String actor, Instant at, String detail) {
        status = to;
        StatusChange change = new StatusChange();
        change.order = this;
        change.status = to;
        change.at = at;
        change.actor = actor;
        change.detail = detail;
        history.add(change);
    }

    public BloodOrderLine line(int lineNo) {
        return lines.stream().filter(l -> l.lineNo == lineNo).findFirst().orElse(null);
    }

    /** Every bag allocated to the order, line by line. */
    public List<AllocatedUnit> units() {
        return lines.stream().flatMap(l -> l.units.stream()).toList();
    }

    /** The status the current allocation amounts to: every line covered, some bags, or none. */
    public OrderStatus allocationStatus() {
        boolean all = lines.stream().allMatch(l -> l.allocatedQuantity >= l.quantity);
        boolean none = lines.stream().allMatch(l -> l.units.isEmpty());
        return all ? OrderStatus.ALLOCATED : none ? OrderStatus.BACKORDERED : OrderStatus.PARTIALLY_ALLOCATED;
    }

    public boolean isBreached() {
        return breachedAt != null;
    }

    /** Quantity per component|abo|rhd of the bags on their way to {@code locationId} (dispatched, not received). */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Integer> inTransitByKey(String locationId) {
        return byKey(getEntityManager().createNativeQuery("""
                        select u.component, u.abo, u.rhd, sum(u.quantity) from blood_order o
                        join order_line l on l.order_seq = o.seq join order_line_unit u on u.line_id = l.id
                        where o.location_id = ?1 and o.status = 'DISPATCHED' group by 1, 2, 3""")
                .setParameter(1, locationId).getResultList());
    }

    /** Quantity per component|abo|rhd ordered by {@code locationId} and not yet dispatched. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Integer> openByKey(String locationId) {
        return byKey(getEntityManager().createNativeQuery("""
                        select l.component, l.abo, l.rhd, sum(l.quantity) from blood_order o
                        join order_line l on l.order_seq = o.seq
                        where o.location_id = ?1
                          and o.status in ('SUBMITTED', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED')
                        group by 1, 2, 3""")
                .setParameter(1, locationId).getResultList());
    }

    /** How many orders {@code actor} placed for {@code locationId} are still open (not received or cancelled). */
    public static long openBy(String locationId, String actor) {
        return count("locationId = ?1 and createdBy = ?2 and status in ?3", locationId, actor,
                java.util.EnumSet.of(OrderStatus.SUBMITTED, OrderStatus.ALLOCATED, OrderStatus.PARTIALLY_ALLOCATED,
                        OrderStatus.BACKORDERED, OrderStatus.DISPATCHED));
    }

    static java.util.Map<String, Integer> byKey(java.util.List<Object[]> rows) {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (Object[] r : rows) {
            out.merge(r[0] + "|" + r[1] + "|" + r[2], ((Number) r[3]).intValue(), Integer::sum);
        }
        return out;
    }
}

package io.hemolink.order.domain;

import io.hemolink.contracts.blood.OrderStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The issue note (出库单) of a dispatched order; its bags are the order's allocated units. */
@Entity
@Table(name = "issue_note")
public class IssueNote extends PanacheEntityBase {

    @Id
    public String no;

    public String orderId;

    public String locationId;

    public Instant issuedAt;

    public String issuedBy;

    /** Where a dispatch stands: on its way, received (some bag accepted), or refused whole at receipt. */
    public enum Delivery {
        IN_TRANSIT, RECEIVED, REFUSED
    }

    /** A dispatch with its order (lines, bags and their receipt). */
    public record Dispatch(IssueNote note, BloodOrder order) {

        public Delivery delivery() {
            if (order.status != OrderStatus.RECEIVED) {
                return Delivery.IN_TRANSIT;
            }
            return order.units().stream().anyMatch(u -> Boolean.TRUE.equals(u.accepted)) ? Delivery.RECEIVED
                    : Delivery.REFUSED;
        }
    }

    /**
     * A page of dispatches in issue-note order after {@code afterNo}: of {@code locationId} (null: every location), of
     * the orders {@code orderIds} (null: any), in one of {@code deliveries} (empty: any). The FHIR facade's
     * SupplyDelivery search.
     */
    public static List<Dispatch> search(String locationId, Collection<String> orderIds, Set<Delivery> deliveries,
                                        String afterNo, int limit) {
        StringBuilder q = new StringBuilder("select n, o from IssueNote n, BloodOrder o where o.id = n.orderId"
                + " and n.no > :after");
        if (locationId != null) {
            q.append(" and n.locationId = :location");
        }
        if (orderIds != null) {
            q.append(" and n.orderId in :orders");
        }
        if (!deliveries.isEmpty() && deliveries.size() < Delivery.values().length) {
            String accepted = "exists (select u.id from AllocatedUnit u where u.line.order = o and u.accepted = true)";
            List<String> any = new ArrayList<>();
            if (deliveries.contains(Delivery.IN_TRANSIT)) {
                any.add("o.status <> :received");
            }
            if (deliveries.contains(Delivery.RECEIVED)) {
                any.add("(o.status = :received and " + accepted + ")");
            }
            if (deliveries.contains(Delivery.REFUSED)) {
                any.add("(o.status = :received and not " + accepted + ")");
            }
            q.append(" and (").append(String.join(" or ", any)).append(")");
        }
        var query = getEntityManager().createQuery(q + " order by n.no", Object[].class)
                .setParameter("after", afterNo == null ? "" : afterNo).setMaxResults(limit);
        if (locationId != null) {
            query.setParameter("location", locationId);
        }
        if (orderIds != null) {
            query.setParameter("orders", orderIds);
        }
        if (q.indexOf(":received") >= 0) {
            query.setParameter("received", OrderStatus.RECEIVED);
        }
        return query.getResultList().stream().map(r -> new Dispatch((IssueNote) r[0], (BloodOrder) r[1])).toList();
    }

    /** The dispatch of issue note {@code no}, or null. */
    public static Dispatch dispatch(String no) {
        IssueNote note = findById(no);
        if (note == null) {
            return null;
        }
        BloodOrder order = BloodOrder.find("id", note.orderId).firstResult();
        return order == null ? null : new Dispatch(note, order);
    }
}

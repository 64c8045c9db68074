package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;

/** One line of an order (quantity in the component's unit of issue) and the bags allocated to it. */
@Entity
@Table(name = "order_line")
public class BloodOrderLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "order_seq")
    public BloodOrder order;

    public int lineNo;

    @Enumerated(EnumType.STRING)
    public Component component;

    @Enumerated(EnumType.STRING)
    public Abo abo;

    @Enumerated(EnumType.STRING)
    public RhD rhd;

    public int quantity;

    public boolean irradiated;

    public boolean cmvNegative;

    public boolean lowTitre;

    /** Every bag of the line must be typed negative for these red-cell antigens. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.ARRAY)
    @jakarta.persistence.Column(columnDefinition = "text[]")
    public String[] antigenNegative = new String[0];

    public int allocatedQuantity;

    @OneToMany(mappedBy = "line", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    public List<AllocatedUnit> units = new ArrayList<>();

    /**
     * A page of order lines, in id order after {@code afterId}, of orders of {@code locationId} (null: every location)
     * in one of {@code statuses} (empty: any), each with its order: the FHIR facade's SupplyRequest search.
     */
    public static List<BloodOrderLine> search(String locationId, java.util.Collection<io.hemolink.contracts.blood.OrderStatus> statuses,
                                              long afterId, int limit) {
        StringBuilder q = new StringBuilder("select l from BloodOrderLine l join fetch l.order o where l.id > :after");
        if (locationId != null) {
            q.append(" and o.locationId = :location");
        }
        if (!statuses.isEmpty()) {
            q.append(" and o.status in :statuses");
        }
        var query = io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createQuery(q + " order by l.id", BloodOrderLine.class)
                .setParameter("after", afterId).setMaxResults(limit);
        if (locationId != null) {
            query.setParameter("location", locationId);
        }
        if (!statuses.isEmpty()) {
            query.setParameter("statuses", statuses);
        }
        return query.getResultList();
    }
}

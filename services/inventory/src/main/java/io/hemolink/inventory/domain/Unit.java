package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.blood.Uom;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A bag: one component (and division) of one donation, with where it is and what state it is in. */
@Entity
@Table(name = "unit")
public class Unit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Canonical 14-character DIN. */
    @Column(columnDefinition = "bpchar")
    public String din;

    @Enumerated(EnumType.STRING)
    public Component component;

    /** Division of a split collection; empty when the unit is not divided. */
    public String division;

    @Enumerated(EnumType.STRING)
    public Abo abo;

    @Enumerated(EnumType.STRING)
    public RhD rhd;

    public int volumeMl;

    /** In the component's unit of issue (a 400 ml red-cell bag is 2 U). */
    public int quantity;

    @Enumerated(EnumType.STRING)
    public Uom uom;

    public Instant collectedAt;

    public Instant expiresAt;

    @Enumerated(EnumType.STRING)
    public UnitStatus status;

    public String locationId;

    public String equipmentId;

    public String orderId;

    /** The line of {@link #orderId} this bag was allocated to. */
    public Integer orderLine;

    /** Special attributes (api.md): set at release, {@code irradiated} also by an IRRADIATED movement. */
    @jakarta.persistence.Embedded
    public io.hemolink.common.db.SpecialAttributeColumns special = new io.hemolink.common.db.SpecialAttributeColumns();

    /** The ISBT 128 product description code, as given; null when none was. */
    public String productCode;

    @Version
    public long version;

    public static List<Unit> ofDonation(String din) {
        return list("din = ?1 order by component, division", din);
    }

    public static Optional<Unit> find(String din, Component component, String division) {
        return find("din = ?1 and component = ?2 and division = ?3", din, component, division).firstResultOptional();
    }

    public static List<Unit> find(String din, Component component) {
        return list("din = ?1 and component = ?2 order by division", din, component);
    }

    /**
     * A page of units matching every criterion given (null or empty: any), in id order after {@code afterId}: the
     * FHIR facade's product search. {@code locationId} null: every location (the station).
     */
    public static List<Unit> search(String din, java.util.Collection<Component> components,
                                    java.util.Collection<UnitStatus> statuses, String locationId, long afterId, int limit) {
        StringBuilder q = new StringBuilder("id > :after");
        io.quarkus.panache.common.Parameters p = io.quarkus.panache.common.Parameters.with("after", afterId);
        if (din != null) {
            q.append(" and din = :din");
            p.and("din", din);
        }
        if (components != null && !components.isEmpty()) {
            q.append(" and component in :components");
            p.and("components", components);
        }
        if (statuses != null && !statuses.isEmpty()) {
            q.append(" and status in :statuses");
            p.and("statuses", statuses);
        }
        if (locationId != null) {
            q.append(" and locationId = :location");
            p.and("location", locationId);
        }
        return find(q + " order by id", p).page(0, limit).list();
    }

    /** The divisions of one component of a donation, locked for a change (serialises competing fates). */
    public static List<Unit> findForUpdate(String din, Component component) {
        return find("din = ?1 and component = ?2 order by division", din, component)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** The unit (first division) of a DIN and component name, locked for update; empty for an unknown component. */
    public static Optional<Unit> lockedFirst(String din, String component) {
        Component c;
        try {
            c = Component.valueOf(component);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        return findForUpdate(din, c).stream().findFirst();
    }

    public io.hemolink.contracts.blood.UnitAttributes attributes() {
        return special.toAttributes(productCode);
    }

    public void attributes(io.hemolink.contracts.blood.UnitAttributes a) {
        special.set(a);
        productCode = a.productCode();
    }

    public boolean isExpiredAt(Instant when) {
        return !expiresAt.isAfter(when);
    }
}

package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;

/** A bag the inventory allocated to an order line; after receipt, whether the hospital accepted it. */
@Entity
@Table(name = "order_line_unit")
public class AllocatedUnit {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "line_id")
    public BloodOrderLine line;

    @Column(columnDefinition = "bpchar")
    public String din;

    @Enumerated(EnumType.STRING)
    public Component component;

    public String division;

    @Enumerated(EnumType.STRING)
    public Abo abo;

    @Enumerated(EnumType.STRING)
    public RhD rhd;

    public int quantity;

    public Instant expiresAt;

    /** The bag's special attributes as the inventory allocated it (none for pictures older than 2026-12). */
    @jakarta.persistence.Embedded
    public io.hemolink.common.db.SpecialAttributeColumns special = new io.hemolink.common.db.SpecialAttributeColumns();

    public String productCode;

    public io.hemolink.contracts.blood.UnitAttributes attributes() {
        return special.toAttributes(productCode);
    }

    /** Null until the order is receipted. */
    public Boolean accepted;

    public String rejectReason;
}

package io.hemolink.order.domain;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.inventory.ReturnDecided;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A bag a hospital sends back (退血), the evidence it gave, and the inventory's decision once made. */
@Entity
@Table(name = "unit_return")
public class UnitReturn extends PanacheEntityBase {

    @Id
    public String id;

    public String locationId;

    @Column(columnDefinition = "bpchar")
    public String din;

    @Enumerated(EnumType.STRING)
    public Component component;

    public boolean sealIntact;

    public boolean segmentAttached;

    public int minutesOutOfStorage;

    public String reason;

    public String requestedBy;

    public Instant requestedAt;

    /** Null while the inventory has not decided. */
    @Enumerated(EnumType.STRING)
    public ReturnDecided.Decision decision;

    public String decisionReason;

    public Instant decidedAt;
}

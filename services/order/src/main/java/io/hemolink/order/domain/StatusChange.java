package io.hemolink.order.domain;

import io.hemolink.contracts.blood.OrderStatus;
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

/** One status change of an order: to what, when and by whom (a user, a service account or {@code system:*}). */
@Entity
@Table(name = "order_history")
public class StatusChange {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "order_seq")
    public BloodOrder order;

    @Enumerated(EnumType.STRING)
    public OrderStatus status;

    public Instant at;

    public String actor;

    public String detail;
}

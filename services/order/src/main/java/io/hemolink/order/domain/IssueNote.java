package io.hemolink.order.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

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
}

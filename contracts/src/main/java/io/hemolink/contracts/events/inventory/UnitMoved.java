package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.blood.UnitStatus;

import java.time.Instant;

/**
 * One movement of the stock ledger (a unit released, reserved, dispatched, transfused...), with the unit's expiry and
 * the equipment it is in (at a storage point) and its special attributes (null in events older than 2026-12), so that
 * a reader can keep its own picture of units. A DISCARDED or EXPIRED movement carries its {@code reasonCode} (null on
 * other movements and in events older than 2026-12). Key: DIN.
 */
public record UnitMoved(String din, Component component, String division, Abo abo, RhD rhd, int quantity, Uom uom,
                        MovementType movement, String fromLocationId, String toLocationId, UnitStatus status,
                        String orderId, String reason, String actor, Instant occurredAt, Instant expiresAt,
                        String equipmentId, io.hemolink.contracts.blood.UnitAttributes attributes,
                        io.hemolink.contracts.blood.DiscardReason reasonCode) {
}

package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.blood.UnitStatus;

import java.time.Instant;

/** One movement of the stock ledger (a unit released, reserved, dispatched, transfused...). Key: DIN. */
public record UnitMoved(String din, Component component, String division, Abo abo, RhD rhd, int quantity, Uom uom,
                        MovementType movement, String fromLocationId, String toLocationId, UnitStatus status,
                        String orderId, String reason, String actor, Instant occurredAt) {
}

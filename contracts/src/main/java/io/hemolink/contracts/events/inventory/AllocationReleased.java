package io.hemolink.contracts.events.inventory;

import java.time.Instant;
import java.util.List;

/** Reservations of an order given back to stock (cancelled order). Key: order id. */
public record AllocationReleased(String orderId, List<UnitRef> units, String reason, Instant at) {
}

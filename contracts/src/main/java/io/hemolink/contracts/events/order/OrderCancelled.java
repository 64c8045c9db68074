package io.hemolink.contracts.events.order;

import java.time.Instant;

/** An order was cancelled before dispatch; its reservations go back to stock. Key: order id. */
public record OrderCancelled(String orderId, String locationId, String reason, String actor, Instant at) {
}

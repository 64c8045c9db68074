package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.Priority;

import java.time.Instant;

/** An order was not dispatched by its due time. Key: order id. */
public record ServiceLevelBreached(String orderId, String locationId, Priority priority, Instant dueBy, Instant at) {
}

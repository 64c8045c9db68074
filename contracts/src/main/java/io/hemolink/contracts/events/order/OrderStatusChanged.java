package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;

import java.time.Instant;

/**
 * An order's status moved, as the order service records it in the order's history (every move, including ALLOCATED
 * after the inventory's answer). What pushes order status to the dashboard and to ORDER_STATUS subscribers.
 * {@code previous} is null for a new order. On a topic of its own, so the services that allocate and deliver never
 * read it. Key: order id.
 */
public record OrderStatusChanged(String orderId, String locationId, OrderStatus status, OrderStatus previous,
                                 Priority priority, int revision, String actor, String detail, Instant at) {
}

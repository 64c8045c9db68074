package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.Priority;

import java.time.Instant;
import java.util.List;

/** A hospital (or storage point) ordered blood. Key: order id. */
public record OrderSubmitted(String orderId, String locationId, Priority priority, Instant neededBy, Instant dueBy,
                             boolean allowSubstitution, List<OrderLine> lines, Instant submittedAt, String actor) {
}

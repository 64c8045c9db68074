package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.Priority;

import java.time.Instant;
import java.util.List;

/**
 * An order was amended before dispatch (api.md, "Orders: amend before dispatch"): its priority, {@code neededBy},
 * {@code dueBy} and lines as they now are. The lines replace the order's lines; a line keeps its {@code lineNo} (and,
 * in the inventory, its bags as far as they still fit). {@code revision} counts the amendments (1 for the first):
 * an allocation computed for an earlier revision no longer describes the order. Key: order id.
 */
public record OrderAmended(String orderId, String locationId, int revision, Priority priority, Instant neededBy,
                           Instant dueBy, boolean allowSubstitution, List<OrderLine> lines, Instant amendedAt,
                           String actor) {
}

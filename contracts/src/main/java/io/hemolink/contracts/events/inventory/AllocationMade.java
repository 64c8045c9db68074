package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.OrderStatus;

import java.time.Instant;
import java.util.List;

/**
 * The inventory's answer to an order: the bags reserved per line (whole bags), and the resulting status, computed for
 * the order's {@code revision} (0 until it is amended, and in events older than 2026-12). Key: order id.
 */
public record AllocationMade(String orderId, String locationId, OrderStatus status, List<Line> lines, Instant at,
                             int revision) {

    /** An allocation of an order never amended. */
    public AllocationMade(String orderId, String locationId, OrderStatus status, List<Line> lines, Instant at) {
        this(orderId, locationId, status, lines, at, 0);
    }

    /** One order line's allocation so far. */
    public record Line(int lineNo, int allocatedQuantity, List<UnitRef> units) {
    }
}

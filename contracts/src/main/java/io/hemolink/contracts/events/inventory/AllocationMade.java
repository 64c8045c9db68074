package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.OrderStatus;

import java.time.Instant;
import java.util.List;

/** The inventory's answer to an order: the bags reserved per line (whole bags), and the resulting status. Key: order id. */
public record AllocationMade(String orderId, String locationId, OrderStatus status, List<Line> lines, Instant at) {

    /** One order line's allocation so far. */
    public record Line(int lineNo, int allocatedQuantity, List<UnitRef> units) {
    }
}

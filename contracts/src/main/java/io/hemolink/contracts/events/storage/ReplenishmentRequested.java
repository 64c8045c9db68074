package io.hemolink.contracts.events.storage;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;
import java.util.List;

/**
 * A storage point fell below a par level and asks for a ROUTINE order to bring it back to target; the order service
 * places the order with {@code requestId} as the order id (so a repeated request places nothing twice).
 * Key: storage point id.
 */
public record ReplenishmentRequested(String requestId, String storagePointId, List<Line> lines, Instant at) {

    /** Quantity to order of one component and group. */
    public record Line(Component component, Abo abo, RhD rhd, int quantity) {
    }
}

package io.hemolink.contracts.events.order;

import java.time.Instant;
import java.util.List;

/** The hospital receipted an order line by line (proof of delivery). Key: order id. */
public record OrderReceived(String orderId, String locationId, List<Receipt> units, String actor, Instant at) {

    /** One bag accepted, or rejected with a reason. */
    public record Receipt(String din, String component, boolean accepted, String reason) {
    }
}

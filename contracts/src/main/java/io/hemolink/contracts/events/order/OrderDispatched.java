package io.hemolink.contracts.events.order;

import java.time.Instant;
import java.util.List;

/** The station dispatched an order (issue note 出库单); its bags are in transit. Key: order id. */
public record OrderDispatched(String orderId, String locationId, String issueNoteNo, List<UnitKey> units,
                              String actor, Instant at) {

    /** A bag by DIN and component. */
    public record UnitKey(String din, String component) {
    }
}

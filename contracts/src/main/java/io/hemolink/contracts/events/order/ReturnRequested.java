package io.hemolink.contracts.events.order;

import java.time.Instant;

/** A hospital returns a unit with the evidence the inventory decides on (domain.md, returns). Key: order id or DIN. */
public record ReturnRequested(String returnId, String locationId, String din, String component, boolean sealIntact,
                              boolean segmentAttached, int minutesOutOfStorage, String reason, String actor, Instant at) {
}

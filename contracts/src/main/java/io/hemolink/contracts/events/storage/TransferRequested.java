package io.hemolink.contracts.events.storage;

import java.time.Instant;
import java.util.List;

/**
 * The station moves units between sites (rotation of near-expiry stock, stocking a storage point); the inventory
 * records the transfer. {@code equipmentId} places the units at the destination when it is a storage point.
 * Key: transfer id.
 */
public record TransferRequested(String transferId, List<ExcursionDetected.UnitKey> units, String fromLocationId,
                                String toLocationId, String equipmentId, String actor, Instant at) {
}

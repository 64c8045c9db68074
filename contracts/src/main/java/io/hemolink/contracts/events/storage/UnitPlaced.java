package io.hemolink.contracts.events.storage;

import java.time.Instant;

/** A unit at a storage point was put in a piece of equipment (on arrival, or moved). Key: storage point id. */
public record UnitPlaced(String storagePointId, String din, String component, String equipmentId, Instant at) {
}

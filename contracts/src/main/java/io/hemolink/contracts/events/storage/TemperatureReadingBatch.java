package io.hemolink.contracts.events.storage;

import java.time.Instant;
import java.util.List;

/** Readings from a sensor gateway (input topic). Key: storage point id. */
public record TemperatureReadingBatch(String storagePointId, List<Reading> readings) {

    /** One sensor reading. */
    public record Reading(String equipmentId, Instant at, double celsius) {
    }
}

package io.hemolink.contracts.events.storage;

import java.time.Instant;
import java.util.List;

/** Equipment left its range (too long, or too far): its units are quarantined. Key: storage point id. */
public record ExcursionDetected(String excursionId, String storagePointId, String equipmentId, Instant since,
                                Double minCelsius, Double maxCelsius, List<UnitKey> unitsQuarantined, Instant at) {

    /** A bag by DIN and component. */
    public record UnitKey(String din, String component) {
    }
}

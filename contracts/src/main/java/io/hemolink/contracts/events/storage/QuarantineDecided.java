package io.hemolink.contracts.events.storage;

import java.time.Instant;
import java.util.List;

/** Station QA released or discarded quarantined units. Key: storage point id. */
public record QuarantineDecided(String storagePointId, Decision decision, List<ExcursionDetected.UnitKey> units,
                                String actor, Instant at) {

    public enum Decision {
        RELEASE, DISCARD
    }
}

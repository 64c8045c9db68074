package io.hemolink.contracts.events.storage;

import java.time.Instant;

/**
 * A storage point issued a unit to a patient after its checks (expiry, quarantine, ABO/RhD); the inventory records
 * the transfusion. {@code patientRef} is the hospital's reference, never an ID number. Key: storage point id.
 */
public record UnitIssued(String issueId, String storagePointId, String din, String component, String patientRef,
                         String actor, Instant at) {
}

package io.hemolink.contracts.events.inventory;

import java.time.Instant;

/** The inventory's decision on a returned unit, with the evidence it was based on. Key: return id. */
public record ReturnDecided(String returnId, String din, String locationId, Decision decision, String reason,
                            Instant at) {

    public enum Decision {
        RETURNED_TO_STOCK, DISCARDED
    }
}

package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.UnitStatus;

import java.time.Instant;
import java.util.List;

/**
 * Station QA recalled a donation (lookback): every named component not yet transfused or discarded was quarantined
 * wherever it was; transfused ones are listed for the transfusing hospital's lookback. Patient references never
 * travel in this event. Key: DIN.
 */
public record RecallIssued(String recallId, String din, String reason, List<RecalledUnit> units, String createdBy,
                           Instant createdAt) {

    /** One unit of the donation: who held it when recalled, what it was and what it is now. */
    public record RecalledUnit(String din, Component component, String division, String locationId,
                               UnitStatus statusBefore, UnitStatus status) {
    }
}

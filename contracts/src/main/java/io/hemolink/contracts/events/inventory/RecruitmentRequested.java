package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A region alert was raised or worsened for a group: the station's donor system is asked to recruit donors of it.
 * {@code unitsNeeded} would bring the group back to GREEN by {@code byDate}, from average issues. Counts only, no
 * personal data. Key: {@code component|abo|rhd}.
 */
public record RecruitmentRequested(String alertId, Component component, Abo abo, RhD rhd, Level level,
                                   Double daysOfSupply, int unitsNeeded, LocalDate byDate, Instant requestedAt) {
}

package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;

/** A group's supply level declared YELLOW or worse for a scope (a location id, or REGION). Key: {@code component|abo|rhd}. */
public record SupplyAlertRaised(String alertId, String scope, Component component, Abo abo, RhD rhd, Level level,
                                Double daysOfSupply, Instant since) {
}

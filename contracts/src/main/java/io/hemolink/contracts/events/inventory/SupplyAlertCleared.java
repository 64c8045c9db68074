package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;

/** A supply alert ended (the level is back to GREEN). Key: {@code component|abo|rhd}. */
public record SupplyAlertCleared(String alertId, String scope, Component component, Abo abo, RhD rhd, Instant clearedAt) {
}

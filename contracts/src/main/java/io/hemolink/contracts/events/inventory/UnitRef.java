package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;

/**
 * A bag as events name it: DIN (canonical 14 characters), component, division, group, quantity, expiry and its
 * special attributes (null in events older than 2026-12).
 */
public record UnitRef(String din, Component component, String division, Abo abo, RhD rhd, int quantity,
                      Instant expiresAt, io.hemolink.contracts.blood.UnitAttributes attributes) {
}

package io.hemolink.contracts.events.inventory;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.Uom;

import java.time.Instant;

/**
 * The stock of one location × component × group after a change. Compacted topic, key
 * {@code location|component|abo|rhd}. {@code daysOfSupply} is null when there is no issue history ("no data", never 0).
 */
public record StockLevelChanged(String locationId, Component component, Abo abo, RhD rhd, int bags, int quantity,
                                Uom uom, int expiringWithin72h, Double daysOfSupply, Level level, Instant asOf) {

    public static String key(String locationId, Component component, Abo abo, RhD rhd) {
        return locationId + "|" + component + "|" + abo + "|" + rhd;
    }
}

package io.hemolink.inventory.config;

import io.hemolink.inventory.domain.SupplyLevels;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The supply rules as configured. */
public class SupplyLevelsProducer {

    @Produces
    @Singleton
    SupplyLevels supplyLevels(InventoryConfig config) {
        InventoryConfig.Levels l = config.levels();
        return new SupplyLevels(thresholds(l.redCells()), thresholds(l.platelets()), thresholds(l.plasma()),
                config.issueWindowDays());
    }

    private static SupplyLevels.Thresholds thresholds(InventoryConfig.Thresholds t) {
        return new SupplyLevels.Thresholds(t.yellow(), t.orange(), t.red());
    }
}

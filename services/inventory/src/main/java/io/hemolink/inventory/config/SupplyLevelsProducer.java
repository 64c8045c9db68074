package io.hemolink.inventory.config;

import io.hemolink.inventory.domain.Rationing;
import io.hemolink.inventory.domain.Recruitment;
import io.hemolink.inventory.domain.SupplyLevels;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The supply and rationing rules as configured. */
public class SupplyLevelsProducer {

    @Produces
    @Singleton
    SupplyLevels supplyLevels(InventoryConfig config) {
        InventoryConfig.Levels l = config.levels();
        return new SupplyLevels(thresholds(l.redCells()), thresholds(l.platelets()), thresholds(l.plasma()),
                config.issueWindowDays());
    }

    @Produces
    @Singleton
    Rationing rationing(InventoryConfig config) {
        InventoryConfig.Cuts c = config.allocation().cuts();
        return new Rationing(new Rationing.Cuts(c.yellow(), c.orange(), c.red()));
    }

    @Produces
    @Singleton
    Recruitment recruitment(InventoryConfig config) {
        InventoryConfig.Recruitment r = config.recruitment();
        long days = r.horizon().toDays();
        if (r.horizon().isNegative() || !r.horizon().equals(java.time.Duration.ofDays(days))) {
            throw new IllegalArgumentException("hemolink.inventory.recruitment.horizon is a whole number of days (P7D)");
        }
        return new Recruitment(new Recruitment.Yields(r.plasmaMlPerWholeBloodMl(), r.wholeBloodMlPerPooledDose()),
                (int) days);
    }

    private static SupplyLevels.Thresholds thresholds(InventoryConfig.Thresholds t) {
        return new SupplyLevels.Thresholds(t.yellow(), t.orange(), t.red());
    }
}

package io.hemolink.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code hemolink.inventory.*}: the station's supply rules (domain.md defaults in application.properties). */
@ConfigMapping(prefix = "hemolink.inventory")
public interface InventoryConfig {

    /** Days over which average daily issues are taken. */
    @WithDefault("28")
    int issueWindowDays();

    /** Level thresholds in days of supply, per product class. */
    Levels levels();

    interface Levels {
        Thresholds redCells();

        Thresholds platelets();

        Thresholds plasma();
    }

    /** Below {@code yellow} days is YELLOW, below {@code orange} ORANGE, below {@code red} RED. */
    interface Thresholds {
        double yellow();

        double orange();

        double red();
    }
}

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

    Allocation allocation();

    interface Allocation {
        /** Least remaining shelf life of an allocated bag, by priority (capped at 20 % of the shelf life). */
        MinRemaining minRemaining();
    }

    interface MinRemaining {
        java.time.Duration routine();

        java.time.Duration urgent();

        java.time.Duration emergency();
    }

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

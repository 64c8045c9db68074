package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.ProductClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SupplyLevelsTest {

    private final SupplyLevels levels = new SupplyLevels(new SupplyLevels.Thresholds(5, 3, 2),
            new SupplyLevels.Thresholds(2, 1, 0.5), new SupplyLevels.Thresholds(14, 7, 3), 28);

    @ParameterizedTest(name = "{0}: {1} in stock, {2} issued in 28 days -> {3} days, {4}")
    @CsvSource({
            "RED_CELLS, 10,  56, 5.0,  GREEN",
            "RED_CELLS,  9,  56, 4.5,  YELLOW",
            "RED_CELLS,  5,  56, 2.5,  ORANGE",
            "RED_CELLS,  3,  56, 1.5,  RED",
            "RED_CELLS,  0,  56, 0.0,  RED",
            "PLATELETS,  2,  28, 2.0,  GREEN",
            "PLATELETS,  1,  28, 1.0,  YELLOW",
            "PLATELETS,  1,  56, 0.5,  ORANGE",
            "PLATELETS,  1, 112, 0.3,  RED",
            "PLASMA,   600, 1200, 14.0, GREEN",
            "PLASMA,   200, 1200, 4.7,  ORANGE",
            "PLASMA,   100, 1200, 2.3,  RED",
    })
    void daysOfSupplyAndLevel(ProductClass pc, long stock, long issued, double days, Level level) {
        Double d = levels.daysOfSupply(stock, levels.averageDailyIssue(issued));
        assertEquals(days, d);
        assertEquals(level, levels.level(pc, d));
    }

    @Test
    void noIssuesInTheWindowIsNoDataNotZero() {
        assertNull(levels.averageDailyIssue(0));
        assertNull(levels.daysOfSupply(40, null));
        assertNull(levels.level(ProductClass.RED_CELLS, null));
    }

    @Test
    void thresholdsMustFall() {
        assertThrows(IllegalArgumentException.class, () -> new SupplyLevels.Thresholds(2, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new SupplyLevels(new SupplyLevels.Thresholds(5, 3, 2),
                new SupplyLevels.Thresholds(2, 1, 0.5), new SupplyLevels.Thresholds(14, 7, 3), 0));
    }
}

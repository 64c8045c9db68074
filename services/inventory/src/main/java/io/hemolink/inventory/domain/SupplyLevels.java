package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.ProductClass;

/**
 * Days of supply and the level they mean, as plain rules: days = usable quantity ÷ average daily issues over the
 * window; no issues in the window is "no data" (null), never zero or infinite.
 */
public final class SupplyLevels {

    /** Thresholds in days: below {@code yellow} is YELLOW, below {@code orange} ORANGE, below {@code red} RED. */
    public record Thresholds(double yellow, double orange, double red) {
        public Thresholds {
            if (!(yellow > orange && orange > red && red >= 0)) {
                throw new IllegalArgumentException("thresholds must fall: yellow > orange > red >= 0");
            }
        }
    }

    private final Thresholds redCells;
    private final Thresholds platelets;
    private final Thresholds plasma;
    private final int windowDays;

    public SupplyLevels(Thresholds redCells, Thresholds platelets, Thresholds plasma, int windowDays) {
        if (windowDays < 1) {
            throw new IllegalArgumentException("the window is at least one day");
        }
        this.redCells = redCells;
        this.platelets = platelets;
        this.plasma = plasma;
        this.windowDays = windowDays;
    }

    public int windowDays() {
        return windowDays;
    }

    /** Average daily issue over the window, or null when nothing was issued in it. */
    public Double averageDailyIssue(long issuedInWindow) {
        return issuedInWindow <= 0 ? null : (double) issuedInWindow / windowDays;
    }

    /** Usable quantity ÷ average daily issue, rounded to 0.1 day; null without issue history. */
    public Double daysOfSupply(long usableQuantity, Double averageDailyIssue) {
        if (averageDailyIssue == null || averageDailyIssue <= 0) {
            return null;
        }
        return Math.round(usableQuantity / averageDailyIssue * 10) / 10.0;
    }

    /** The days of supply from which a product class is GREEN (its {@code yellow} threshold). */
    public double greenFrom(ProductClass productClass) {
        return thresholds(productClass).yellow();
    }

    private Thresholds thresholds(ProductClass productClass) {
        return switch (productClass) {
            case RED_CELLS -> redCells;
            case PLATELETS -> platelets;
            case PLASMA -> plasma;
        };
    }

    /** The level of {@code days} of supply for a product class; null without data. */
    public Level level(ProductClass productClass, Double days) {
        if (days == null) {
            return null;
        }
        Thresholds t = thresholds(productClass);
        if (days < t.red()) {
            return Level.RED;
        }
        if (days < t.orange()) {
            return Level.ORANGE;
        }
        if (days < t.yellow()) {
            return Level.YELLOW;
        }
        return Level.GREEN;
    }
}

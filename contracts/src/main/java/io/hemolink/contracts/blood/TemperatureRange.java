package io.hemolink.contracts.blood;

/**
 * A storage temperature range in °C; a null bound is open ("≤ -18 °C" has no lower bound).
 */
public record TemperatureRange(Double minCelsius, Double maxCelsius) {

    public TemperatureRange {
        if (minCelsius == null && maxCelsius == null) {
            throw new IllegalArgumentException("a range needs at least one bound");
        }
        if (minCelsius != null && maxCelsius != null && minCelsius > maxCelsius) {
            throw new IllegalArgumentException("min above max");
        }
    }

    public static TemperatureRange between(double min, double max) {
        return new TemperatureRange(min, max);
    }

    public static TemperatureRange atMost(double max) {
        return new TemperatureRange(null, max);
    }

    public boolean contains(double celsius) {
        return (minCelsius == null || celsius >= minCelsius) && (maxCelsius == null || celsius <= maxCelsius);
    }

    /** How far outside the range a reading is (0 inside). */
    public double distanceOutside(double celsius) {
        if (minCelsius != null && celsius < minCelsius) {
            return minCelsius - celsius;
        }
        if (maxCelsius != null && celsius > maxCelsius) {
            return celsius - maxCelsius;
        }
        return 0;
    }

    @Override
    public String toString() {
        if (minCelsius == null) {
            return "≤ " + maxCelsius + " °C";
        }
        if (maxCelsius == null) {
            return "≥ " + minCelsius + " °C";
        }
        return minCelsius + "-" + maxCelsius + " °C";
    }
}

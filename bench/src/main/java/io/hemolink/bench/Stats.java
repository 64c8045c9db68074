package io.hemolink.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Latencies in milliseconds: percentiles by the nearest-rank method. */
final class Stats {

    private final List<Double> sorted;

    Stats(Collection<Double> values) {
        sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
    }

    int count() {
        return sorted.size();
    }

    double p(double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)));
    }

    double max() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    /** "p50 1.2 / p99 3.4 ms (n=500)" */
    String summary() {
        return String.format(Locale.ROOT, "p50 %s / p99 %s ms (n=%d)", ms(p(0.5)), ms(p(0.99)), count());
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }
}

package io.hemolink.inventory.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Wastage (api.md, "Discards and wastage"), computed from the ledger's movements over a period: {@code issued} counts
 * the units a hospital or storage point received from the station (a receipt there), {@code wasted} the units
 * discarded or expired at a location, by the reason code they carry; the rate is wasted ÷ issued, null when nothing
 * was issued. Rows are grouped by any of location, component, ABO, reason and month (the station's calendar); a row
 * by reason keeps the issued count of its other keys as the denominator, so the reasons' rates add up to the rate of
 * those keys, and lists only reasons that occurred. The totals are the region's, for every caller; a caller limited to
 * one location sees only that location's rows.
 * <p>
 * Cost: one read of the partial index {@code unit_movement_wastage} over the period (receipts and wastes only, about
 * a third of a ledger's movements) grouped in the database to at most locations × components × groups × months ×
 * reasons rows; nothing scans units.
 */
@ApplicationScoped
public class WastageReport {

    /** A grouping key of {@code by}. */
    public enum Key {
        LOCATION("locationId"), COMPONENT("component"), ABO("abo"), REASON("reason"), MONTH("month");

        public final String field;

        Key(String field) {
            this.field = field;
        }

        static Key parse(String text) {
            return Arrays.stream(values()).filter(k -> k.name().equalsIgnoreCase(text)).findFirst()
                    .orElseThrow(() -> DomainException.invalid("BY_KEY_UNKNOWN", "by: '" + text + "' is not one of "
                            + Arrays.stream(values()).map(k -> k.name().toLowerCase()).toList(), "by"));
        }
    }

    /** The longest period one report covers. */
    static final Duration LONGEST = Duration.ofDays(3 * 366);

    /** One row: the keys asked for (the others null) and the counts. */
    public record Row(String locationId, Component component, Abo abo, DiscardReason reason, String month, long issued,
                      long wasted, Double wastageRate) {
    }

    public record Totals(long issued, long wasted, Double wastageRate) {
    }

    public record Report(Instant from, Instant to, List<Key> by, List<Row> rows, Totals totals) {
    }

    /** One group of the ledger's read: a location, component, group and month, and a reason (null: issued). */
    public record Count(String locationId, Component component, Abo abo, String month, DiscardReason reason, long n) {
    }

    @Inject
    InventoryConfig config;

    /**
     * Parses the query: {@code from} and {@code to} as dates (the station's calendar days, {@code to} inclusive) or
     * instants; by default the twelve months up to now. {@code by} is comma-separated; by default {@code location}.
     *
     * @throws DomainException on an unknown key, a malformed or reversed period, or one longer than three years
     */
    public Query query(String from, String to, String by, Instant now) {
        Instant end = to == null || to.isBlank() ? now : bound(to, true);
        Instant start = from == null || from.isBlank()
                ? LocalDate.ofInstant(end, config.zone()).withDayOfMonth(1).minusMonths(11).atStartOfDay(config.zone()).toInstant()
                : bound(from, false);
        if (start.isAfter(end)) {
            throw DomainException.invalid("RANGE_INVALID", "from " + start + " is after to " + end, "from");
        }
        if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            throw DomainException.invalid("RANGE_TOO_LONG", "a report covers at most three years", "from");
        }
        LinkedHashSet<Key> keys = new LinkedHashSet<>();
        String text = by == null || by.isBlank() ? "location" : by;
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw DomainException.invalid("BY_KEY_UNKNOWN", "by: an empty key", "by");
            }
            keys.add(Key.parse(part.strip()));
        }
        return new Query(start, end, List.copyOf(keys));
    }

    /** A parsed report query: the period [from, to) and the keys. */
    public record Query(Instant from, Instant to, List<Key> by) {
    }

    /**
     * The report of {@code counts} (the ledger's groups over the query's period).
     *
     * @param onlyLocation the one location whose rows the caller sees, or null for every location
     */
    public Report report(Query q, List<Count> counts, String onlyLocation) {
        boolean byReason = q.by().contains(Key.REASON);
        Map<List<Object>, long[]> base = new TreeMap<>(ORDER);
        Map<List<Object>, Long> wastedByReason = new TreeMap<>(ORDER);
        long issued = 0;
        long wasted = 0;
        for (Count c : counts) {
            if (c.reason() == null) {
                issued += c.n();
            } else {
                wasted += c.n();
            }
            if (onlyLocation != null && !onlyLocation.equals(c.locationId())) {
                continue;
            }
            List<Object> key = keyOf(q.by(), c, false);
            long[] sums = base.computeIfAbsent(key, k -> new long[2]);
            sums[c.reason() == null ? 0 : 1] += c.n();
            if (byReason && c.reason() != null) {
                wastedByReason.merge(keyOf(q.by(), c, true), c.n(), Long::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        if (byReason) {
            wastedByReason.forEach((key, n) -> {
                long issuedOfKey = base.get(key.subList(0, key.size() - 1))[0];
                rows.add(row(q.by(), key, issuedOfKey, n));
            });
        } else {
            base.forEach((key, sums) -> rows.add(row(q.by(), key, sums[0], sums[1])));
        }
        return new Report(q.from(), q.to(), q.by(), rows, new Totals(issued, wasted, rate(issued, wasted)));
    }

    /** The values of the keys asked for, in a fixed order (reason last, and only when {@code withReason}). */
    private static List<Object> keyOf(List<Key> by, Count c, boolean withReason) {
        List<Object> key = new ArrayList<>(5);
        for (Key k : List.of(Key.LOCATION, Key.COMPONENT, Key.ABO, Key.MONTH)) {
            if (by.contains(k)) {
                key.add(switch (k) {
                    case LOCATION -> c.locationId();
                    case COMPONENT -> c.component();
                    case ABO -> c.abo();
                    case MONTH -> c.month();
                    case REASON -> throw new IllegalStateException();
                });
            }
        }
        if (withReason) {
            key.add(c.reason());
        }
        return key;
    }

    private static Row row(List<Key> by, List<Object> key, long issued, long wasted) {
        int i = 0;
        String location = by.contains(Key.LOCATION) ? (String) key.get(i++) : null;
        Component component = by.contains(Key.COMPONENT) ? (Component) key.get(i++) : null;
        Abo abo = by.contains(Key.ABO) ? (Abo) key.get(i++) : null;
        String month = by.contains(Key.MONTH) ? (String) key.get(i++) : null;
        DiscardReason reason = by.contains(Key.REASON) ? (DiscardReason) key.get(i) : null;
        return new Row(location, component, abo, reason, month, issued, wasted, rate(issued, wasted));
    }

    static Double rate(long issued, long wasted) {
        return issued == 0 ? null
                : BigDecimal.valueOf(wasted).divide(BigDecimal.valueOf(issued), 4, RoundingMode.HALF_UP).doubleValue();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<List<Object>> ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Comparable x = (Comparable) a.get(i);
            Comparable y = (Comparable) b.get(i);
            int c = Objects.compare(x, y, Comparator.nullsFirst(Comparator.naturalOrder()));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private Instant bound(String text, boolean end) {
        String t = text.strip();
        try {
            if (t.length() == 10) {
                LocalDate day = LocalDate.parse(t);
                return (end ? day.plusDays(1) : day).atStartOfDay(config.zone()).toInstant();
            }
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("INVALID_VALUE", (end ? "to" : "from") + ": '" + t
                    + "' is neither a date (yyyy-MM-dd) nor an ISO-8601 instant", end ? "to" : "from");
        }
    }
}

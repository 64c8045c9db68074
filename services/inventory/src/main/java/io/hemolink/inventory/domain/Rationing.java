package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.Priority;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who gets the next bag of one stock key, as plain rules (domain.md, allocation):
 * <ul>
 *   <li>EMERGENCY before URGENT before ROUTINE; within a priority the earliest {@code dueBy}, then the first
 *       submitted;</li>
 *   <li>under a shortage level (YELLOW, ORANGE, RED) of the group, a ROUTINE line is entitled only to its quantity
 *       less the level's cut (rounded up to whole units), and ROUTINE lines are served by need: the location with the
 *       fewest projected days of supply of that group gets the next bag, its projection growing with every bag it is
 *       given (water-filling), so scarce stock is shared across hospitals rather than going to whoever asked first.
 *       A location with no issue history has no measured need and comes after those that have one;</li>
 *   <li>EMERGENCY and URGENT lines are never cut.</li>
 * </ul>
 * A {@link Round} hands out bags one at a time; the caller finds the bag and reports back.
 */
public final class Rationing {

    /** Shares of a ROUTINE line cut at each shortage level, each in [0, 1]. */
    public record Cuts(double yellow, double orange, double red) {
        public Cuts {
            for (double c : new double[]{yellow, orange, red}) {
                if (c < 0 || c > 1) {
                    throw new IllegalArgumentException("a cut is a share between 0 and 1");
                }
            }
        }

        double of(Level level) {
            if (level == null) {
                return 0;
            }
            return switch (level) {
                case GREEN -> 0;
                case YELLOW -> yellow;
                case ORANGE -> orange;
                case RED -> red;
            };
        }
    }

    /** One open order line of the key being allocated. */
    public record Claim(String orderId, int lineNo, String locationId, Priority priority, int quantity, int allocated,
                        Instant dueBy, Instant submittedAt) {
    }

    /** A location's usable stock of the key (plus what is already allocated to it) and its average daily issue. */
    public record Need(long quantity, Double averageDailyIssue) {
    }

    private final Cuts cuts;

    public Rationing(Cuts cuts) {
        this.cuts = cuts;
    }

    /** The most a line may be given in all under {@code level}: its quantity, less the cut for a ROUTINE line. */
    public int entitlement(Priority priority, int quantity, Level level) {
        if (priority != Priority.ROUTINE) {
            return quantity;
        }
        return (int) Math.ceil(quantity * (1 - cuts.of(level)) - 1e-9);
    }

    /** A round of allocation over the open lines of one key at {@code level} (null: no level declared). */
    public Round round(List<Claim> claims, Level level, Map<String, Need> needs) {
        return new Round(claims, level, needs);
    }

    /** Bags handed out one at a time, each to the line the rules put first. */
    public final class Round {
        private final Level level;
        private final boolean shortage;
        private final List<Claim> open = new ArrayList<>();
        private final Map<Claim, Integer> given = new HashMap<>();
        private final Map<String, Long> projected = new HashMap<>();
        private final Map<String, Double> issue = new HashMap<>();
        private final Set<Claim> exhausted = new HashSet<>();

        private Round(List<Claim> claims, Level level, Map<String, Need> needs) {
            this.level = level;
            this.shortage = level != null && level.isShortage();
            for (Claim c : claims) {
                open.add(c);
                given.put(c, c.allocated());
                Need need = needs.getOrDefault(c.locationId(), new Need(0, null));
                projected.putIfAbsent(c.locationId(), need.quantity());
                issue.putIfAbsent(c.locationId(), need.averageDailyIssue());
            }
        }

        /** The line to give the next bag to, or empty when every line has what it is entitled to (or can get). */
        public Optional<Claim> next() {
            return open.stream()
                    .filter(c -> !exhausted.contains(c) && remaining(c) > 0)
                    .min(order());
        }

        /** What {@code claim} may still be given in this round. */
        public int remaining(Claim claim) {
            return entitlement(claim.priority(), claim.quantity(), level) - given.get(claim);
        }

        /** Records a bag of {@code quantity} given to {@code claim}. */
        public void given(Claim claim, int quantity) {
            given.merge(claim, quantity, Integer::sum);
            projected.merge(claim.locationId(), (long) quantity, Long::sum);
        }

        /** No bag can be found for {@code claim} (none left that it may take): it is passed over from now on. */
        public void exhausted(Claim claim) {
            exhausted.add(claim);
        }

        /** The total given to {@code claim}, including what it had before the round. */
        public int allocated(Claim claim) {
            return given.get(claim);
        }

        /** Projected days of supply of a location, or null when it has no issue history. */
        Double projectedDays(String locationId) {
            Double avg = issue.get(locationId);
            return avg == null || avg <= 0 ? null : projected.get(locationId) / avg;
        }

        private Comparator<Claim> order() {
            Comparator<Claim> byPriority = Comparator.comparingInt((Claim c) -> c.priority().rank());
            Comparator<Claim> byNeed = (a, b) -> {
                if (!shortage || a.priority() != Priority.ROUTINE || b.priority() != Priority.ROUTINE) {
                    return 0;
                }
                Double da = projectedDays(a.locationId());
                Double db = projectedDays(b.locationId());
                if (da == null || db == null) {
                    return da == null ? (db == null ? 0 : 1) : -1;
                }
                return Double.compare(da, db);
            };
            Comparator<Instant> nullsLast = Comparator.nullsLast(Comparator.naturalOrder());
            return byPriority.thenComparing(byNeed)
                    .thenComparing(Claim::dueBy, nullsLast)
                    .thenComparing(Claim::submittedAt, nullsLast)
                    .thenComparing(Claim::orderId)
                    .thenComparingInt(Claim::lineNo);
        }
    }
}

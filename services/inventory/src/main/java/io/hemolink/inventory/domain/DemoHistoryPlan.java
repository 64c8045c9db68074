package io.hemolink.inventory.domain;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.DiscardReason;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.isbt.Din;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's past as a plan (ADR 0033), plain Java: the bags of about four weeks of a small region's work and every
 * movement of each, in time order, for {@link DemoHistory} to record through the ledger. Each component has a daily
 * demand in bags, shared by the groups as the region's donors are (O 31 %, A 28 %, B 29 %, AB 12 %; RhD-negative 3 %,
 * as the demo stock has it), and every one of the 10 × 8 keys is transfused at least once, so every cell of the
 * balance board has an average daily issue.
 * <p>
 * A bag's life respects its component: it is collected, released about a day later (washed red cells an hour), and
 * used within its shelf life (platelets within 5 days, red cells within 35); a bag that would still be in stock past
 * its expiry expires at its expiry, so nothing the plan leaves in stock has expired. Fates besides transfusion, at
 * the rates a station sees: platelets expiring unissued at the station (about 6 %), bags broken, out of temperature
 * or failing an inspection at a hospital (about 1.2 %) or at the station (0.5 %), red cells expiring unused at a
 * hospital (1 %), and returns (1.5 %): intact ones go back into the station's stock, the others are discarded as not
 * reusable. What the region holds now comes from the past too: each hospital keeps a few days of what it uses
 * ({@link #keepDays}), the station a few days of the region's use ({@link #stationKeepDays}), released, issued and
 * received before now and far from expiry. The same seed, clock and region give the same plan; the same seed and
 * region the same bags, fates and places whatever the clock.
 */
public final class DemoHistoryPlan {

    /** What happens to a bag at one moment. */
    public enum Step { RELEASE, DISPATCH, RECEIPT, TRANSFUSE, DISCARD, RETURN, EXPIRE }

    /** A bag of the plan: its identity, group, size and dates. */
    public record Bag(int index, String din, Component component, Abo abo, RhD rhd, int quantity, int volumeMl,
                      Instant collectedAt, Instant expiresAt, String hospital) {
    }

    /** One movement: {@code location} is where the bag goes (dispatch: its hospital; others: where it is after). */
    public record Move(Instant at, int bag, Step step, String location, DiscardReason code, String reason,
                       String patientRef) {
    }

    public record Plan(List<Bag> bags, List<Move> moves) {
    }

    /** A component's daily demand in bags (at scale 1), bag sizes, millilitres per unit of issue, age when used. */
    private record Demand(double bagsPerDay, int[] sizes, int mlPerUnit, Duration processing, Duration youngest,
                          Duration oldest) {
    }

    private static final Map<Component, Demand> DEMAND = new EnumMap<>(Component.class);

    static {
        Duration day = Duration.ofDays(1);
        DEMAND.put(Component.RBC, new Demand(20, new int[] {2, 2, 2, 1}, 200, day, Duration.ofDays(2), Duration.ofDays(30)));
        DEMAND.put(Component.RBC_LR, new Demand(7, new int[] {2, 2, 1}, 200, day, Duration.ofDays(2), Duration.ofDays(30)));
        DEMAND.put(Component.RBC_W, new Demand(0.5, new int[] {2, 1}, 200, Duration.ofHours(1), Duration.ofHours(3),
                Duration.ofHours(20)));
        DEMAND.put(Component.WB, new Demand(0.4, new int[] {2, 1}, 200, day, Duration.ofDays(2), Duration.ofDays(30)));
        DEMAND.put(Component.FFP, new Demand(5, new int[] {100, 150, 200}, 1, day, Duration.ofDays(15), Duration.ofDays(300)));
        DEMAND.put(Component.FFP_VI, new Demand(1.5, new int[] {100, 150, 200}, 1, day, Duration.ofDays(15), Duration.ofDays(300)));
        DEMAND.put(Component.FP, new Demand(0.5, new int[] {100, 200}, 1, day, Duration.ofDays(30), Duration.ofDays(700)));
        DEMAND.put(Component.CRYO, new Demand(2, new int[] {1, 1, 2}, 50, day, Duration.ofDays(15), Duration.ofDays(300)));
        DEMAND.put(Component.PLT_AP, new Demand(4, new int[] {1}, 250, Duration.ofHours(18), Duration.ofHours(30),
                Duration.ofHours(108)));
        DEMAND.put(Component.PLT_POOL, new Demand(0.8, new int[] {1}, 250, Duration.ofHours(18), Duration.ofHours(30),
                Duration.ofHours(108)));
    }

    private static final int[] ABO_PERCENT = {31, 28, 29, 12}; // O, A, B, AB as Abo declares them
    private static final double NEGATIVE = 0.03;
    private static final DiscardReason[] AT_HOSPITAL = {DiscardReason.BROKEN, DiscardReason.BROKEN,
        DiscardReason.TEMPERATURE, DiscardReason.TEMPERATURE, DiscardReason.QUALITY, DiscardReason.NOT_USED};
    private static final String FACILITY = "W1239"; // the demo history's own (made-up) collection site

    private DemoHistoryPlan() {
    }

    /**
     * The plan of {@code days} days ending at {@code now} (the first day starts at midnight of the station's calendar
     * {@code days - 1} days before today), for {@code hospitals} (the first takes the rare keys), with every demand
     * multiplied by {@code scale}.
     */
    public static Plan plan(Instant now, ZoneId zone, int days, double scale, List<String> hospitals, long seed) {
        if (days < 2 || scale <= 0 || hospitals.isEmpty()) {
            throw new IllegalArgumentException("a history is at least 2 days, a positive scale and one hospital");
        }
        for (String h : hospitals) {
            if (!LocationId.isHospital(h)) {
                throw new IllegalArgumentException("not a hospital: " + h);
            }
        }
        Random random = new Random(seed);
        Instant start = LocalDate.ofInstant(now, zone).minusDays(days - 1L).atStartOfDay(zone).toInstant();
        Instant end = now.minus(30, ChronoUnit.MINUTES);
        long spanSeconds = Duration.between(start, end).toSeconds();
        List<Bag> bags = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        for (Component c : Component.values()) {
            Demand d = DEMAND.get(c);
            for (Abo abo : Abo.values()) {
                for (RhD rhd : RhD.values()) {
                    double share = ABO_PERCENT[abo.ordinal()] / 100.0 * (rhd == RhD.NEG ? NEGATIVE : 1 - NEGATIVE);
                    long expected = Math.round(d.bagsPerDay() * scale * share * days);
                    boolean rare = expected < 4;
                    long count = Math.max(1, expected);
                    Map<String, Integer> used = new java.util.TreeMap<>();
                    for (int i = 0; i < count; i++) {
                        // the first bag of every key is transfused in the last week, so every key has an issue in
                        // the window for at least three weeks after the start
                        Instant fate = (i == 0 ? end.minusSeconds((long) (random.nextDouble() * Math.min(7 * 86_400, spanSeconds)))
                                : start.plusSeconds((long) (random.nextDouble() * spanSeconds))).truncatedTo(ChronoUnit.SECONDS);
                        String hospital = rare ? hospitals.get(0) : pickHospital(hospitals, random);
                        bag(bags, moves, random, c, d, abo, rhd, fate, hospital, i == 0, now);
                        used.merge(hospital, 1, Integer::sum);
                    }
                    // what each hospital that used the key holds now: a few days of its own use, a bag at least of
                    // a key it used three times or more (the busiest one keeps a bag of each rare key; a hospital
                    // that used a key once or twice may have none left: a shortage, the demo's first alerts)
                    for (Map.Entry<String, Integer> u : used.entrySet()) {
                        long keep = rare ? 1 : Math.max(u.getValue() >= 3 ? 1 : 0,
                                Math.round((double) u.getValue() / days * keepDays(c)));
                        for (int i = 0; i < keep; i++) {
                            kept(bags, moves, random, c, d, abo, rhd, u.getKey(), now);
                        }
                    }
                    // and the station a few days of the region's use (a bag of a rare key; washed cells are made to order)
                    long atStation = c == Component.RBC_W ? 0
                            : rare ? 1 : Math.round((double) count / days * stationKeepDays(c));
                    for (int i = 0; i < atStation; i++) {
                        kept(bags, moves, random, c, d, abo, rhd, LocationId.STATION, now);
                    }
                }
            }
        }
        moves.sort(Comparator.comparing(Move::at).thenComparingInt(Move::bag).thenComparing(Move::step));
        return new Plan(List.copyOf(bags), List.copyOf(moves));
    }

    /** How many days of its own use a hospital keeps of a component. */
    static double keepDays(Component c) {
        if (c == Component.RBC_W) {
            return 0.5; // washed to order: at most a bag waiting for its patient
        }
        return switch (c.productClass()) {
            case RED_CELLS -> 3;
            case PLATELETS -> 1.5;
            case PLASMA -> 10;
        };
    }

    /** How many days of the region's use the station keeps of a component, beyond the demo stock. */
    static double stationKeepDays(Component c) {
        return switch (c.productClass()) {
            case RED_CELLS -> 3;
            case PLATELETS -> 1;
            case PLASMA -> 10;
        };
    }

    /**
     * A bag the hospital (or the station) still holds now: collected young enough to keep at least 60 % of its shelf life from now,
     * released, issued and received in the past (at most twice the days the hospital keeps, or half its time since
     * release, before now).
     */
    private static void kept(List<Bag> bags, List<Move> moves, Random random, Component c, Demand d, Abo abo, RhD rhd,
                             String hospital, Instant now) {
        int index = bags.size();
        int quantity = d.sizes()[random.nextInt(d.sizes().length)];
        Duration shelf = c.shelfLife();
        Duration oldest = d.oldest().compareTo(shelf.multipliedBy(2).dividedBy(5)) < 0 ? d.oldest()
                : shelf.multipliedBy(2).dividedBy(5);
        long extra = Math.max(0, oldest.minus(d.youngest()).toSeconds());
        Instant collected = now.minus(d.youngest()).minusSeconds((long) (random.nextDouble() * extra))
                .truncatedTo(ChronoUnit.MINUTES);
        Instant released = collected.plus(d.processing());
        Instant end = now.minus(30, ChronoUnit.MINUTES);
        long span = Duration.between(released, end).toSeconds();
        long held = (long) (random.nextDouble() * Math.min(keepDays(c) * 2 * 86_400, span / 2.0));
        Instant receipt = end.minusSeconds(held).truncatedTo(ChronoUnit.SECONDS);
        long transit = Math.min(40 * 60 + random.nextInt(80 * 60), Duration.between(released, receipt).toSeconds() / 5);
        Instant dispatch = receipt.minusSeconds(transit);
        bags.add(new Bag(index, din(index, collected), c, abo, rhd, quantity, quantity * d.mlPerUnit(), collected,
                collected.plus(shelf), hospital));
        moves.add(new Move(released, index, Step.RELEASE, LocationId.STATION, null, "demo history: released", null));
        if (!LocationId.isStation(hospital)) {
            moves.add(new Move(dispatch, index, Step.DISPATCH, hospital, null, "demo history: issue to " + hospital, null));
            moves.add(new Move(receipt, index, Step.RECEIPT, hospital, null, null, null));
        }
    }

    private static String din(int index, Instant collected) {
        String yy = String.format("%02d", collected.atZone(ZoneId.of("UTC")).getYear() % 100);
        String data = FACILITY + yy + String.format("%06d", index + 1);
        return data + Din.checkCharacter(data);
    }

    /** A hospital, the first of the list the busiest: weights n, n - 1, ..., 1. */
    private static String pickHospital(List<String> hospitals, Random random) {
        int n = hospitals.size();
        int p = random.nextInt(n * (n + 1) / 2);
        for (int i = 0; i < n; i++) {
            p -= n - i;
            if (p < 0) {
                return hospitals.get(i);
            }
        }
        return hospitals.get(0);
    }

    private static void bag(List<Bag> bags, List<Move> moves, Random random, Component c, Demand d, Abo abo, RhD rhd,
                            Instant fate, String hospital, boolean mustTransfuse, Instant now) {
        int index = bags.size();
        int quantity = d.sizes()[random.nextInt(d.sizes().length)];
        double roll = mustTransfuse ? 1 : random.nextDouble();
        boolean platelets = c.productClass() == io.hemolink.contracts.blood.ProductClass.PLATELETS;
        Duration shelf = c.shelfLife();
        // the ages at which the fate happens: an expiry happens at the end of the shelf life, anything else in use
        Step last;
        String where;
        double p = roll;
        boolean expiresAtStation = platelets && (p -= 0.06) < 0;
        boolean brokenAtStation = !expiresAtStation && (p -= 0.005) < 0;
        boolean discardedAtHospital = !expiresAtStation && !brokenAtStation && (p -= 0.012) < 0;
        boolean expiresAtHospital = !expiresAtStation && !brokenAtStation && !discardedAtHospital && c.isRedCells()
                && c != Component.RBC_W && (p -= 0.01) < 0;
        boolean returned = !expiresAtStation && !brokenAtStation && !discardedAtHospital && !expiresAtHospital
                && (p -= 0.015) < 0;
        Duration age = expiresAtStation || expiresAtHospital ? shelf
                : d.youngest().plusSeconds((long) (random.nextDouble() * d.oldest().minus(d.youngest()).toSeconds()));
        Instant collected = fate.minus(age).truncatedTo(ChronoUnit.MINUTES);
        if (expiresAtStation || expiresAtHospital) {
            fate = collected.plus(shelf);
        }
        Instant expires = collected.plus(shelf);
        Instant released = collected.plus(d.processing());
        bags.add(new Bag(index, din(index, collected), c, abo, rhd, quantity, quantity * d.mlPerUnit(),
                collected, expires, hospital));
        moves.add(new Move(released, index, Step.RELEASE, LocationId.STATION, null, "demo history: released", null));
        if (expiresAtStation) {
            moves.add(new Move(fate, index, Step.EXPIRE, LocationId.STATION, DiscardReason.EXPIRED,
                    "expired at " + expires, null));
            return;
        }
        if (brokenAtStation) {
            // found within the four weeks (a long-lived bag was released long before): up to two days before its
            // planned fate, never before its release
            long before = Math.min((long) (random.nextDouble() * 2 * 86_400), Duration.between(released, fate).toSeconds() / 2);
            Instant at = fate.minusSeconds(before).truncatedTo(ChronoUnit.SECONDS);
            moves.add(new Move(at, index, Step.DISCARD, LocationId.STATION, DiscardReason.BROKEN,
                    "demo history: bag found leaking in the station's store", null));
            return;
        }
        // issued to the hospital some hours (long-lived components: up to three days) before its fate
        long span = Duration.between(released, fate).toSeconds();
        long hold = Math.min(2 * 3600 + (long) (random.nextDouble() * 70 * 3600), span / 2);
        long transit = Math.min(40 * 60 + random.nextInt(80 * 60), span / 5);
        Instant receipt = fate.minusSeconds(hold);
        Instant dispatch = receipt.minusSeconds(transit);
        moves.add(new Move(dispatch, index, Step.DISPATCH, hospital, null, "demo history: issue to " + hospital, null));
        moves.add(new Move(receipt, index, Step.RECEIPT, hospital, null, null, null));
        if (expiresAtHospital) {
            moves.add(new Move(fate, index, Step.EXPIRE, hospital, DiscardReason.EXPIRED, "expired at " + expires, null));
        } else if (discardedAtHospital) {
            DiscardReason code = AT_HOSPITAL[random.nextInt(AT_HOSPITAL.length)];
            moves.add(new Move(fate, index, Step.DISCARD, hospital, code, "demo history: " + switch (code) {
                case BROKEN -> "bag dropped on the ward";
                case TEMPERATURE -> "left out of the fridge overnight";
                case QUALITY -> "haemolysis seen at the bedside check";
                default -> "prepared for a patient who no longer needed it";
            }, null));
        } else if (returned) {
            // an intact bag goes back into stock, unless it would expire within two days of now (it is discarded:
            // nothing the plan leaves in stock is about to expire while the demo starts)
            boolean reusable = random.nextInt(10) < 6
                    && (!expires.isAfter(now) || expires.isAfter(now.plus(2, ChronoUnit.DAYS)));
            if (reusable) {
                moves.add(new Move(fate, index, Step.RETURN, LocationId.STATION, null, "demo history: returned by "
                        + hospital + " (surgery cancelled); seal intact, segment attached, 12 min out of storage", null));
                if (!expires.isAfter(now)) {
                    moves.add(new Move(expires, index, Step.EXPIRE, LocationId.STATION, DiscardReason.EXPIRED,
                            "expired at " + expires, null));
                }
            } else {
                moves.add(new Move(fate, index, Step.DISCARD, hospital, DiscardReason.RETURN_NOT_REUSABLE,
                        "returned-not-reusable: seal intact, segment missing, 45 min out of storage", null));
            }
        } else {
            moves.add(new Move(fate, index, Step.TRANSFUSE, hospital, null, null,
                    String.format("DEMO-%s-%06d", hospital, random.nextInt(1_000_000))));
        }
    }
}

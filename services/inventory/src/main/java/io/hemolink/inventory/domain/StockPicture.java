package io.hemolink.inventory.domain;

import io.hemolink.common.tx.AfterCommit;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.inventory.config.InventoryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The read side of the stock: one in-memory picture of the kept tables the stock screens are made of (every level
 * row, the issues in the rolling window, the bags in transit and the forecast demand of the balance board's horizon),
 * read in one go and shared by every caller until something it shows changes.
 * <p>
 * Freshness: every write that changes what the picture shows calls {@link #changed()} in its transaction; after the
 * commit the picture's generation moves on, so the next read takes a new picture. A caller is served a picture read
 * after it arrived or one no older than the latest committed change it could know of: a change committed on this
 * instance is never followed by a read that misses it. Changes committed on another instance reach this one through
 * the stock-level topic ({@code LiveStock}, tens of milliseconds), and every picture is in any case read again after
 * {@code hemolink.inventory.stock-read.max-age} and when the station's day changes (the issue window moves).
 * The pictures are read by one thread at a time; callers who arrive while one is read wait for it and use it.
 */
@ApplicationScoped
public class StockPicture {

    /** One kept level row: the AVAILABLE bags of a key at a location. */
    public record Level(String locationId, Component component, Abo abo, RhD rhd, int bags, int quantity,
                        int expiringSoon) {
    }

    /**
     * One picture. {@code issued} is keyed {@code location|component|abo|rhd}; {@code inTransit} and {@code forecast}
     * are keyed {@code component|abo|rhd}.
     */
    public static final class Snapshot {
        private final long generation;
        private final LocalDate day;
        private final long readAtNanos;
        private final List<Level> levels;
        private final Map<String, Long> issued;
        private final Map<String, Long> inTransit;
        private final Map<String, Long> forecast;
        private final Map<String, Long> issuedInRegion;
        private final Map<String, Object> views = new ConcurrentHashMap<>();

        Snapshot(long generation, LocalDate day, long readAtNanos, List<Level> levels, Map<String, Long> issued,
                 Map<String, Long> inTransit, Map<String, Long> forecast) {
            this.generation = generation;
            this.day = day;
            this.readAtNanos = readAtNanos;
            this.levels = List.copyOf(levels);
            this.issued = Map.copyOf(issued);
            this.inTransit = Map.copyOf(inTransit);
            this.forecast = Map.copyOf(forecast);
            Map<String, Long> region = new HashMap<>();
            issued.forEach((key, q) -> {
                int bar = key.indexOf('|');
                if (!"STATION".equals(key.substring(0, bar))) { // dispatches from the station are internal moves
                    region.merge(key.substring(bar + 1), q, Long::sum);
                }
            });
            this.issuedInRegion = Map.copyOf(region);
        }

        /** The level rows, ordered by location, component, group. */
        public List<Level> levels() {
            return levels;
        }

        /** Quantity issued in the window at {@code location} for the key (0 when none). */
        public long issued(String location, Component c, Abo abo, RhD rhd) {
            return issued.getOrDefault(location + "|" + c + "|" + abo + "|" + rhd, 0L);
        }

        /** Quantity transfused in the region in the window per {@code component|abo|rhd}: issues outside the station. */
        public Map<String, Long> issuedInRegion() {
            return issuedInRegion;
        }

        public Map<String, Long> inTransit() {
            return inTransit;
        }

        public Map<String, Long> forecast() {
            return forecast;
        }

        /**
         * A view made of this picture (e.g. a response already rendered for one filter), made once per picture and
         * key; beyond 1,024 keys views are made each time (the keys are bounded by locations × filters anyway).
         */
        @SuppressWarnings("unchecked")
        public <T> T view(String key, Function<Snapshot, T> make) {
            Object v = views.get(key);
            if (v == null) {
                v = make.apply(this);
                if (views.size() < 1024) {
                    views.putIfAbsent(key, v);
                }
            }
            return (T) v;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    AfterCommit afterCommit;

    @Inject
    IssueHistory issues;

    @Inject
    InventoryConfig config;

    private final AtomicLong generation = new AtomicLong();
    private final Object reading = new Object();
    private volatile Snapshot current;
    private final AtomicLong reads = new AtomicLong();

    /**
     * What the picture shows changes: called in the writing transaction (the picture moves on once it has committed,
     * and not if it rolls back), or outside one for a change already committed elsewhere.
     */
    public void changed() {
        if (QuarkusTransaction.isActive()) {
            afterCommit.collect("stock-picture", Boolean.TRUE, ignored -> generation.incrementAndGet());
        } else {
            generation.incrementAndGet();
        }
    }

    /** How many pictures were read from the database since the start (a measure of the cache's use). */
    public long reads() {
        return reads.get();
    }

    /** The current picture: one read after every change committed before this call, the day's, not too old. */
    public Snapshot current() {
        long wanted = generation.get();
        LocalDate today = issues.today();
        Snapshot s = current;
        if (fresh(s, wanted, today)) {
            return s;
        }
        synchronized (reading) {
            s = current;
            if (fresh(s, wanted, today)) {
                return s; // read by another caller while this one waited
            }
            long g = generation.get(); // before the read: a change committed during it makes the next caller read again
            Snapshot read = QuarkusTransaction.requiringNew().call(() -> read(g, today));
            reads.incrementAndGet();
            current = read;
            return read;
        }
    }

    private boolean fresh(Snapshot s, long wanted, LocalDate today) {
        return s != null && s.generation >= wanted && s.day.equals(today)
                && System.nanoTime() - s.readAtNanos < config.stockRead().maxAge().toNanos();
    }

    private Snapshot read(long g, LocalDate today) {
        long at = System.nanoTime();
        List<Level> levels = new ArrayList<>();
        for (Object[] r : rows(em.createNativeQuery("select location_id, component, abo, rhd, bags, quantity, expiring_soon"
                + " from stock_level order by location_id, component, abo, rhd"))) {
            levels.add(new Level((String) r[0], Component.valueOf((String) r[1]), Abo.valueOf((String) r[2]),
                    RhD.valueOf((String) r[3]), ((Number) r[4]).intValue(), ((Number) r[5]).intValue(),
                    ((Number) r[6]).intValue()));
        }
        Map<String, Long> issued = issues.issuedInWindow(" where 1 = 1", Map.of());
        Map<String, Long> inTransit = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("select component, abo, rhd, sum(quantity) from unit"
                + " where status = 'IN_TRANSIT' group by component, abo, rhd"))) {
            inTransit.put(r[0] + "|" + r[1] + "|" + r[2], ((Number) r[3]).longValue());
        }
        Map<String, Long> forecast = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("select component, abo, rhd, sum(quantity) from demand_forecast"
                        + " where day >= ?1 and day < ?2 group by component, abo, rhd")
                .setParameter(1, today).setParameter(2, today.plusDays(config.balance().forecastDays())))) {
            forecast.put(r[0] + "|" + r[1] + "|" + r[2], ((Number) r[3]).longValue());
        }
        return new Snapshot(g, today, at, levels, issued, inTransit, forecast);
    }

    private static List<Object[]> rows(jakarta.persistence.Query q) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows;
    }
}

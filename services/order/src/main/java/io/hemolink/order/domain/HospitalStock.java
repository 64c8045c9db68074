package io.hemolink.order.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.domain.ParLevel;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.hemolink.common.db.SqlValues.utc;

/**
 * Hospital par levels and suggested orders (api.md, "Hospital stock"), with the storage points' rule
 * ({@link ParLevel}): for each key of a location's par levels, what would bring it back to target = target + the
 * forecast demand of the next ROUTINE delivery run's day − on hand (the inventory's latest stock level) − in transit
 * (dispatched, not yet received) − open orders (submitted, not yet dispatched). With {@code autoOrder}, a key below
 * min places one ROUTINE order for every key below min, never a second while one it placed is open.
 * Tables: {@code par_level}, {@code par_setting}, {@code location_stock}.
 */
@ApplicationScoped
public class HospitalStock {

    /** Who places the automatic orders. */
    public static final String AUTO_ACTOR = "system:par-levels";

    private static final Logger LOG = Logger.getLogger(HospitalStock.class);

    @Inject
    EntityManager em;

    @Inject
    Orders orders;

    @Inject
    ServiceLevels serviceLevels;

    @Inject
    Demand demand;

    /** One par level as given. */
    public record Level(Component component, Abo abo, RhD rhd, int min, int target) {
    }

    /** A location's par levels. */
    public record Levels(String locationId, List<Level> levels, boolean autoOrder, Instant updatedAt, String updatedBy) {
    }

    /** One key of a suggested order and the figures it comes from. */
    public record Suggestion(Component component, Abo abo, RhD rhd, int quantity, int onHand, int inTransit,
                             int openOrders, int forecast, int target, int min) {
    }

    public record Suggested(String locationId, Instant asOf, List<Suggestion> lines) {
    }

    /**
     * Replaces a hospital's par levels as a whole.
     *
     * @throws DomainException when the location is not a hospital, a level is invalid or a key appears twice
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Levels replace(Location location, List<Level> levels, boolean autoOrder, String actor, Instant now) {
        if (location.kind != Location.Kind.HOSPITAL) {
            throw DomainException.invalid("NOT_A_HOSPITAL", location.id + " is a " + location.kind
                    + "; storage points keep their par levels on the storage point", "id");
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < levels.size(); i++) {
            Level l = levels.get(i);
            if (!keys.add(l.component() + "|" + l.abo() + "|" + l.rhd())) {
                throw DomainException.invalid("PAR_LEVEL_DUPLICATED", "a component and group has two par levels",
                        "levels[" + i + "]");
            }
            try {
                new ParLevel(l.min(), l.target());
            } catch (DomainException e) {
                throw DomainException.invalid(e.code(), e.getMessage(), "levels[" + i + "]");
            }
        }
        em.createNativeQuery("delete from par_level where location_id = ?1").setParameter(1, location.id).executeUpdate();
        for (Level l : levels) {
            em.createNativeQuery("""
                            insert into par_level (location_id, component, abo, rhd, min_quantity, target_quantity)
                            values (?1, ?2, ?3, ?4, ?5, ?6)""")
                    .setParameter(1, location.id).setParameter(2, l.component().name()).setParameter(3, l.abo().name())
                    .setParameter(4, l.rhd().name()).setParameter(5, l.min()).setParameter(6, l.target()).executeUpdate();
        }
        em.createNativeQuery("""
                        insert into par_setting (location_id, auto_order, updated_at, updated_by) values (?1, ?2, ?3, ?4)
                        on conflict (location_id) do update set auto_order = excluded.auto_order,
                            updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
                .setParameter(1, location.id).setParameter(2, autoOrder).setParameter(3, utc(now)).setParameter(4, actor)
                .executeUpdate();
        autoOrder(location.id, now);
        return levels(location.id);
    }

    /** A location's par levels (none, and no auto order, until set). */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Levels levels(String locationId) {
        List<Object[]> rows = em.createNativeQuery("""
                        select component, abo, rhd, min_quantity, target_quantity from par_level where location_id = ?1
                        order by component, abo, rhd""").setParameter(1, locationId).getResultList();
        List<Level> levels = rows.stream().map(r -> new Level(Component.valueOf((String) r[0]), Abo.valueOf((String) r[1]),
                RhD.valueOf((String) r[2]), ((Number) r[3]).intValue(), ((Number) r[4]).intValue())).toList();
        List<Object[]> setting = em.createNativeQuery(
                "select auto_order, updated_at, updated_by from par_setting where location_id = ?1")
                .setParameter(1, locationId).getResultList();
        if (setting.isEmpty()) {
            return new Levels(locationId, levels, false, null, null);
        }
        Object[] s = setting.get(0);
        return new Levels(locationId, levels, (Boolean) s[0], io.hemolink.common.db.SqlValues.instant(s[1]), (String) s[2]);
    }

    /** The suggested order of a location: one line per par level, in the order of the levels. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Suggested suggested(String locationId, Instant now) {
        Levels levels = levels(locationId);
        Map<String, Integer> onHand = sums("""
                select component, abo, rhd, quantity from location_stock where location_id = ?1""", locationId);
        Map<String, Integer> inTransit = BloodOrder.inTransitByKey(locationId);
        Map<String, Integer> open = BloodOrder.openByKey(locationId);
        LocalDate runDay = LocalDate.ofInstant(serviceLevels.dueBy(Priority.ROUTINE, now), serviceLevels.zone());
        Map<String, Integer> forecast = new HashMap<>();
        demand.of(locationId, now).stream().filter(d -> d.date().equals(runDay))
                .forEach(d -> forecast.merge(key(d.component(), d.abo(), d.rhd()), d.quantity(), Integer::sum));
        List<Suggestion> lines = new ArrayList<>();
        for (Level l : levels.levels()) {
            String k = key(l.component(), l.abo(), l.rhd());
            ParLevel par = new ParLevel(l.min(), l.target());
            int have = onHand.getOrDefault(k, 0);
            int coming = inTransit.getOrDefault(k, 0);
            int ordered = open.getOrDefault(k, 0);
            int expected = forecast.getOrDefault(k, 0);
            lines.add(new Suggestion(l.component(), l.abo(), l.rhd(), par.topUp(have, coming, ordered, expected), have,
                    coming, ordered, expected, l.target(), l.min()));
        }
        return new Suggested(locationId, now, lines);
    }

    /**
     * Keeps a stock level of the inventory when it is newer than the one kept; then, for a hospital with
     * {@code autoOrder}, places the order its par levels call for.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void levelChanged(StockLevelChanged level, Instant now) {
        if (LocationId.STATION.equals(level.locationId())) {
            return;
        }
        int changed = em.createNativeQuery("""
                        insert into location_stock (location_id, component, abo, rhd, quantity, as_of)
                        values (?1, ?2, ?3, ?4, ?5, ?6)
                        on conflict (location_id, component, abo, rhd) do update
                            set quantity = excluded.quantity, as_of = excluded.as_of
                            where location_stock.as_of < excluded.as_of""")
                .setParameter(1, level.locationId()).setParameter(2, level.component().name())
                .setParameter(3, level.abo().name()).setParameter(4, level.rhd().name())
                .setParameter(5, level.quantity()).setParameter(6, utc(level.asOf())).executeUpdate();
        if (changed > 0) {
            autoOrder(level.locationId(), now);
        }
    }

    /**
     * With {@code autoOrder} on, and no automatic order of the location still open, places one ROUTINE order for
     * every key below min (for its suggested quantity); returns it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<BloodOrder> autoOrder(String locationId, Instant now) {
        Levels levels = levels(locationId);
        if (!levels.autoOrder() || levels.levels().isEmpty()) {
            return Optional.empty();
        }
        em.createNativeQuery("select 1 from par_setting where location_id = ?1 for update").setParameter(1, locationId)
                .getResultList();
        if (BloodOrder.openBy(locationId, AUTO_ACTOR) > 0) {
            return Optional.empty();
        }
        List<Orders.NewLine> lines = suggested(locationId, now).lines().stream()
                .filter(s -> s.onHand() < s.min() && s.quantity() > 0)
                .map(s -> new Orders.NewLine(s.component(), s.abo(), s.rhd(), s.quantity(), false, false, false, List.of()))
                .toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Orders.Submission submission = new Orders.Submission(locationId, Priority.ROUTINE, null, false, lines,
                "automatic order: stock below par level", null);
        try {
            orders.check(submission, now);
        } catch (DomainException refused) {
            LOG.warnf("automatic order of %s not placed: %s %s", locationId, refused.code(), refused.getMessage());
            return Optional.empty();
        }
        BloodOrder placed = orders.submit(submission, AUTO_ACTOR, now);
        LOG.infof("%s below par on %d key(s): automatic order %s placed", locationId, lines.size(), placed.id);
        return Optional.of(placed);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Integer> sums(String sql, String locationId) {
        return BloodOrder.byKey(em.createNativeQuery(sql).setParameter(1, locationId).getResultList());
    }

    private static String key(Component c, Abo abo, RhD rhd) {
        return c + "|" + abo + "|" + rhd;
    }
}

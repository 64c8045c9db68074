package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.ProductClass;
import io.hemolink.contracts.blood.Requirements;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.compat.CompatibilityTable;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.AllocationReleased;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.inventory.config.InventoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.hemolink.common.db.SqlValues.instant;
import static io.hemolink.common.db.SqlValues.utc;

/**
 * Allocation from the station's stock. Every order line is kept as an open demand line until its order is
 * dispatched or cancelled; bags are given to lines in {@link Rationing}'s order (EMERGENCY first; under a shortage
 * ROUTINE lines cut and shared by need), whole bags covering each line, first-expiry-first-out among compatible bags
 * (the exact group first; other groups in the order of the compatibility table only when the order allows
 * substitution), never a bag with less remaining shelf life than the priority demands.
 * <p>
 * A submitted order is allocated at once, except ROUTINE lines of a group whose region alert is YELLOW, ORANGE or
 * RED: those wait for the next round, so that the lines gathered meanwhile are shared by need rather than by who
 * asked first. A round allocates the open lines of one stock key further; it runs when stock of that key arrives at
 * the station (after the commit) and on a schedule. Rounds and submissions of one key are serialised by a
 * transaction-scoped advisory lock; each bag is also taken with {@code FOR UPDATE SKIP LOCKED}, so competing
 * allocations never take the same bag. Every change of an order's allocation is published as the full picture
 * ({@link AllocationMade}).
 */
@ApplicationScoped
public class Allocator {

    /** How many candidate bags of one group are looked at per bag taken, first expiry first (an index range). */
    private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");
    private static final int CANDIDATES = 16;

    /** How a line may be filled: whether its order allows other groups, and what every bag must be. */
    record Terms(boolean allowSubstitution, Requirements requirements) {
    }

    /** A component and group: the key lines are queued and rationed by. */
    public record StockKey(Component component, Abo abo, RhD rhd) {
        @Override
        public String toString() {
            return component + "|" + abo + "|" + rhd;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    StockLedger ledger;

    @Inject
    Outbox outbox;

    @Inject
    InventoryConfig config;

    @Inject
    Rationing rationing;

    @Inject
    SupplyLevels levels;

    @Inject
    IssueHistory issues;

    private final CompatibilityTable compatibility = CompatibilityTable.defaults();

    /** Records a submitted order's lines and allocates those that need not wait for a round. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AllocationMade allocate(OrderSubmitted order) {
        Number known = (Number) em.createNativeQuery("select count(*) from demand_line where order_id = ?1")
                .setParameter(1, order.orderId()).getSingleResult();
        if (known.intValue() > 0) {
            return picture(order.orderId(), order.locationId()); // already recorded: nothing is allocated twice
        }
        Instant submitted = order.submittedAt() == null ? Instant.now() : order.submittedAt();
        for (OrderLine line : order.lines()) {
            em.createNativeQuery("""
                            insert into demand_line (order_id, line_no, location_id, priority, component, abo, rhd, quantity,
                                                     allow_substitution, due_by, submitted_at, irradiated, cmv_negative,
                                                     low_titre, antigen_negative)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, cast(?15 as text[]))""")
                    .setParameter(1, order.orderId()).setParameter(2, line.lineNo()).setParameter(3, order.locationId())
                    .setParameter(4, order.priority().name()).setParameter(5, line.component().name())
                    .setParameter(6, line.abo().name()).setParameter(7, line.rhd().name()).setParameter(8, line.quantity())
                    .setParameter(9, order.allowSubstitution()).setParameter(10, utc(order.dueBy()))
                    .setParameter(11, utc(submitted))
                    .setParameter(12, line.irradiated()).setParameter(13, line.cmvNegative())
                    .setParameter(14, line.lowTitre()).setParameter(15, textArray(line.antigenNegative()))
                    .executeUpdate();
        }
        // every key of the order is locked up front, in one global order, so two submissions never wait on each other
        order.lines().stream().map(l -> new StockKey(l.component(), l.abo(), l.rhd())).distinct()
                .sorted(java.util.Comparator.comparing(StockKey::toString)).forEach(this::lock);
        for (OrderLine line : order.lines()) {
            StockKey key = new StockKey(line.component(), line.abo(), line.rhd());
            Level level = regionLevel(key);
            if (order.priority() == Priority.ROUTINE && level != null && level.isShortage()) {
                continue; // shared by need in the next round
            }
            Rationing.Claim claim = new Rationing.Claim(order.orderId(), line.lineNo(), order.locationId(),
                    order.priority(), line.quantity(), 0, order.dueBy(), submitted);
            fill(rationing.round(List.of(claim), level, Map.of()), key,
                    Map.of(claim, new Terms(order.allowSubstitution(), line.requirements())));
        }
        return publish(order.orderId(), order.locationId());
    }

    /** Keys with open lines that are not fully allocated. */
    public List<StockKey> keysWithOpenLines() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select distinct component, abo, rhd from demand_line
                        where closed_at is null and allocated < quantity""").getResultList();
        return rows.stream().map(r -> new StockKey(Component.valueOf((String) r[0]), Abo.valueOf((String) r[1]),
                RhD.valueOf((String) r[2]))).toList();
    }

    /**
     * One round for {@code key}: its open lines are allocated further in {@link Rationing}'s order from the stock
     * there is now. Returns the orders whose allocation changed (each published as its full picture).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> round(StockKey key) {
        lock(key);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select order_id, line_no, location_id, priority, quantity, allocated, due_by, submitted_at,
                               allow_substitution, irradiated, cmv_negative, low_titre, array_to_string(antigen_negative, ',')
                        from demand_line where closed_at is null and allocated < quantity
                        and component = ?1 and abo = ?2 and rhd = ?3
                        order by submitted_at, order_id, line_no""")
                .setParameter(1, key.component().name()).setParameter(2, key.abo().name())
                .setParameter(3, key.rhd().name())
                .getResultList();
        if (rows.isEmpty()) {
            return Set.of();
        }
        Map<Rationing.Claim, Terms> substitution = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String antigens = (String) r[12];
            substitution.put(new Rationing.Claim((String) r[0], ((Number) r[1]).intValue(), (String) r[2],
                    Priority.valueOf((String) r[3]), ((Number) r[4]).intValue(), ((Number) r[5]).intValue(),
                    instant(r[6]), instant(r[7])), new Terms((Boolean) r[8], new Requirements((Boolean) r[9],
                    (Boolean) r[10], (Boolean) r[11], antigens == null || antigens.isEmpty() ? List.of()
                    : List.of(antigens.split(",")))));
        }
        List<Rationing.Claim> claims = new ArrayList<>(substitution.keySet());
        Map<String, Rationing.Need> needs = new HashMap<>();
        for (Rationing.Claim c : claims) {
            needs.computeIfAbsent(c.locationId(), location -> need(location, key));
        }
        Rationing.Round round = rationing.round(claims, regionLevel(key), needs);
        Set<String> changed = fill(round, key, substitution);
        Map<String, String> locations = new HashMap<>();
        claims.forEach(c -> locations.put(c.orderId(), c.locationId()));
        changed.stream().sorted().forEach(orderId -> publish(orderId, locations.get(orderId)));
        return changed;
    }

    /**
     * A bag reserved for {@code orderId} was lost before dispatch (held by QA, recalled): the line is allocated again
     * from the stock there is now, and the order's picture is published whether or not a replacement was found, so
     * the order never shows the lost bag.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reservationLost(String orderId, StockKey key) {
        Set<String> changed = round(key);
        if (orderId != null && !changed.contains(orderId)) {
            @SuppressWarnings("unchecked")
            List<String> location = em.createNativeQuery("select location_id from demand_line where order_id = ?1 limit 1")
                    .setParameter(1, orderId).getResultList();
            if (!location.isEmpty()) {
                publish(orderId, location.get(0));
            }
        }
    }

    /** Hands out bags in the round's order until every line has its entitlement or nothing more can be found. */
    private Set<String> fill(Rationing.Round round, StockKey key, Map<Rationing.Claim, Terms> terms) {
        Set<String> changed = new LinkedHashSet<>();
        Instant now = Instant.now();
        for (Optional<Rationing.Claim> next = round.next(); next.isPresent(); next = round.next()) {
            Rationing.Claim claim = next.get();
            Optional<Unit> bag = takeBag(key, claim, terms.getOrDefault(claim, new Terms(false, Requirements.NONE)), now);
            if (bag.isEmpty()) {
                round.exhausted(claim);
                continue;
            }
            Unit u = bag.get();
            ledger.record(u, MovementType.RESERVED, UnitStatus.RESERVED, u.locationId,
                    new StockLedger.Details(claim.orderId(), "line " + claim.lineNo() + " of order " + claim.orderId(),
                            null, "system:allocation", now));
            u.orderLine = claim.lineNo();
            em.createNativeQuery("update demand_line set allocated = allocated + ?1 where order_id = ?2 and line_no = ?3")
                    .setParameter(1, u.quantity).setParameter(2, claim.orderId()).setParameter(3, claim.lineNo())
                    .executeUpdate();
            round.given(claim, u.quantity);
            changed.add(claim.orderId());
        }
        return changed;
    }

    /**
     * The next bag for a line of {@code key}: first expiry first among the groups it may take, with enough shelf life
     * left (at the least {@code allocation.min-remaining} of its priority, and still usable {@code allocation.due-margin}
     * after the order is due), meeting every special requirement of the line (and low-titre where the compatibility
     * table allows the group only so), locked with SKIP LOCKED (a bag another transaction is taking is passed over,
     * never waited for). With substitution, an RhD-positive patient's line takes the same ABO's RhD-negative bags that
     * would otherwise expire (within {@code allocation.rhd-negative-release}) first; other RhD-negative bags come last.
     * Plasma and cryo need no RhD match: with substitution both RhD of one ABO are one first-expiry-first-out choice.
     */
    private Optional<Unit> takeBag(StockKey key, Rationing.Claim claim, Terms terms, Instant now) {
        Instant usableUntil = usableUntil(claim.priority(), key.component(), claim.dueBy(), now);
        BloodGroup patient = BloodGroup.of(key.abo(), key.rhd());
        Requirements asked = terms.requirements();
        boolean plasma = key.component().productClass() == ProductClass.PLASMA;
        if (terms.allowSubstitution() && patient.rhd() == RhD.POS && !plasma) {
            Optional<Unit> expiring = lockFirst(key.component(), key.abo(), List.of(RhD.NEG), usableUntil,
                    now.plus(config.allocation().rhdNegativeRelease()), asked);
            if (expiring.isPresent()) {
                return expiring;
            }
        }
        if (!terms.allowSubstitution()) {
            return lockFirst(key.component(), key.abo(), List.of(key.rhd()), usableUntil, null, asked);
        }
        List<CompatibilityTable.DonorOption> options = compatibility.donorOptions(key.component().productClass(), patient);
        Set<Abo> plasmaDone = new java.util.HashSet<>();
        for (CompatibilityTable.DonorOption option : options) {
            Requirements needed = option.lowTitreOnly()
                    ? new Requirements(asked.irradiated(), asked.cmvNegative(), true, asked.antigenNegative())
                    : asked;
            Optional<Unit> bag;
            if (plasma) {
                if (!plasmaDone.add(option.group().abo())) {
                    continue;
                }
                bag = lockFirst(key.component(), option.group().abo(), List.of(RhD.POS, RhD.NEG), usableUntil, null, needed);
            } else {
                bag = lockFirst(key.component(), option.group().abo(), List.of(option.group().rhd()), usableUntil, null,
                        needed);
            }
            if (bag.isPresent()) {
                return bag;
            }
        }
        return Optional.empty();
    }

    /**
     * The first-expiring station bag of {@code abo} and one of {@code rhds} still usable at {@code usableUntil} (and
     * expiring by {@code expiringBefore}, when given) that meets {@code required} and no other transaction holds,
     * locked. The requirement filter mirrors {@link Requirements#metBy}, which re-checks the bag taken. Each RhD is
     * read on its own from the FEFO index (the partial indexes of V8 for an irradiated, CMV-negative or low-titre
     * line), so the database stops after a few entries instead of sorting a key's whole stock; two RhD (plasma) are
     * merged here by expiry.
     */
    private Optional<Unit> lockFirst(Component component, Abo abo, List<RhD> rhds, Instant usableUntil,
                                     Instant expiringBefore, Requirements required) {
        // fixed fragments, so the planner sees the predicates of the partial indexes (no user text in the SQL)
        StringBuilder sql = new StringBuilder("""
                select id, expires_at from unit where location_id = ?1 and component = ?2 and abo = ?3 and rhd = ?4
                and status = 'AVAILABLE' and expires_at > ?5 and expires_at <= ?6""");
        if (required.irradiated()) {
            sql.append(" and irradiated");
        }
        if (required.cmvNegative()) {
            sql.append(" and cmv_negative");
        }
        if (required.lowTitre()) {
            sql.append(" and low_titre");
        }
        if (!required.antigenNegative().isEmpty()) {
            sql.append(" and antigen_negative @> cast(?8 as text[])");
        }
        sql.append(" order by expires_at, id limit ?7");
        List<Object[]> candidates = new ArrayList<>();
        for (RhD rhd : rhds) {
            var query = em.createNativeQuery(sql.toString())
                    .setParameter(1, LocationId.STATION)
                    .setParameter(2, component.name())
                    .setParameter(3, abo.name())
                    .setParameter(4, rhd.name())
                    .setParameter(5, utc(usableUntil))
                    .setParameter(6, utc(expiringBefore == null ? FAR_FUTURE : expiringBefore))
                    .setParameter(7, CANDIDATES);
            if (!required.antigenNegative().isEmpty()) {
                query.setParameter(8, textArray(required.antigenNegative()));
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            candidates.addAll(rows);
        }
        if (rhds.size() > 1) {
            candidates.sort(java.util.Comparator.<Object[], Instant>comparing(r -> instant(r[1]))
                    .thenComparingLong(r -> ((Number) r[0]).longValue()));
        }
        for (Object[] candidate : candidates) {
            long id = ((Number) candidate[0]).longValue();
            List<?> locked = em.createNativeQuery(
                            "select id from unit where id = ?1 and status = 'AVAILABLE' for update skip locked")
                    .setParameter(1, id)
                    .getResultList();
            if (!locked.isEmpty()) {
                Unit u = em.find(Unit.class, id);
                em.refresh(u);
                if (!required.metBy(u.attributes())) {
                    throw new IllegalStateException("allocation filter let through " + u.din + " " + u.component
                            + " which lacks " + required.unmetBy(u.attributes()));
                }
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /** A PostgreSQL array literal of simple names (components, RhD, antigens from the configured list). */
    static String textArray(List<String> names) {
        return "{" + String.join(",", names == null ? List.of() : names) + "}";
    }

    /** A location's stock of the key plus what its open lines already hold, and its average daily issue. */
    private Rationing.Need need(String location, StockKey key) {
        Number stock = (Number) em.createNativeQuery("""
                        select coalesce((select quantity from stock_level where location_id = ?1 and component = ?2
                                         and abo = ?3 and rhd = ?4), 0)
                             + coalesce((select sum(allocated) from demand_line where closed_at is null and location_id = ?1
                                         and component = ?2 and abo = ?3 and rhd = ?4), 0)""")
                .setParameter(1, location).setParameter(2, key.component().name()).setParameter(3, key.abo().name())
                .setParameter(4, key.rhd().name()).getSingleResult();
        Double average = levels.averageDailyIssue(issues.issuedInWindow(location, key.component(), key.abo(), key.rhd()));
        return new Rationing.Need(stock.longValue(), average);
    }

    /** The declared level of the key's open region alert, or null when there is none. */
    public Level regionLevel(StockKey key) {
        @SuppressWarnings("unchecked")
        List<String> open = em.createNativeQuery("""
                        select level from supply_alert where scope = ?1 and component = ?2 and abo = ?3 and rhd = ?4
                        and cleared_at is null""")
                .setParameter(1, SupplyAlerts.REGION).setParameter(2, key.component().name())
                .setParameter(3, key.abo().name()).setParameter(4, key.rhd().name())
                .getResultList();
        return open.isEmpty() ? null : Level.valueOf(open.get(0));
    }

    /** Serialises submissions and rounds of one key for the rest of the transaction. */
    private void lock(StockKey key) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "allocation|" + key).getSingleResult();
    }

    /**
     * Publishes the order's allocation as it now stands. The order's own lock (held to commit, taken in order-id order)
     * makes a round on another key that touched the same order commit first, so each picture is complete and the
     * pictures are stamped in commit order.
     */
    private AllocationMade publish(String orderId, String locationId) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "allocation-order|" + orderId).getSingleResult();
        AllocationMade made = picture(orderId, locationId);
        outbox.publish(Events.ALLOCATION_MADE, orderId, "order/" + orderId, made);
        return made;
    }

    /** The order's allocation as it now stands: per line, the bags reserved for it. */
    public AllocationMade picture(String orderId, String locationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> lines = em.createNativeQuery(
                        "select line_no, quantity from demand_line where order_id = ?1 order by line_no")
                .setParameter(1, orderId).getResultList();
        List<Unit> reserved = em.createQuery("from Unit u where u.orderId = :order and u.status = :reserved order by u.expiresAt, u.id",
                        Unit.class)
                .setParameter("order", orderId).setParameter("reserved", UnitStatus.RESERVED).getResultList();
        List<AllocationMade.Line> out = new ArrayList<>();
        int covered = 0;
        int empty = 0;
        for (Object[] line : lines) {
            int lineNo = ((Number) line[0]).intValue();
            List<Unit> bags = reserved.stream().filter(u -> u.orderLine != null && u.orderLine == lineNo).toList();
            int quantity = bags.stream().mapToInt(u -> u.quantity).sum();
            if (quantity >= ((Number) line[1]).intValue()) {
                covered++;
            } else if (bags.isEmpty()) {
                empty++;
            }
            out.add(new AllocationMade.Line(lineNo, quantity, bags.stream().map(Allocator::ref).toList()));
        }
        OrderStatus status = covered == lines.size() ? OrderStatus.ALLOCATED
                : empty == lines.size() ? OrderStatus.BACKORDERED : OrderStatus.PARTIALLY_ALLOCATED;
        return new AllocationMade(orderId, locationId, status, out, Instant.now());
    }

    /** The order left the queue (dispatched or cancelled): its lines are no longer open demand. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void close(String orderId) {
        em.createNativeQuery("update demand_line set closed_at = now() where order_id = ?1 and closed_at is null")
                .setParameter(1, orderId).executeUpdate();
    }

    /** Gives an order's reserved bags back to stock (the order was cancelled). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Unit> release(String orderId, String reason, String actor) {
        List<Unit> reserved = em.createQuery("from Unit u where u.orderId = :order and u.status = :reserved order by u.id",
                        Unit.class)
                .setParameter("order", orderId)
                .setParameter("reserved", UnitStatus.RESERVED)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        Instant now = Instant.now();
        for (Unit u : reserved) {
            ledger.record(u, MovementType.UNRESERVED, UnitStatus.AVAILABLE, u.locationId,
                    new StockLedger.Details(null, reason, null, actor, now));
            u.orderId = null;
            u.orderLine = null;
        }
        if (!reserved.isEmpty()) {
            outbox.publish(Events.ALLOCATION_RELEASED, orderId, "order/" + orderId,
                    new AllocationReleased(orderId, reserved.stream().map(Allocator::ref).toList(), reason, now));
        }
        return reserved;
    }

    /**
     * The bag must still be usable then: at least the priority's minimum remaining shelf life from now, and
     * {@code allocation.due-margin} after the order is due, so the hospital never receives a bag it cannot use.
     */
    Instant usableUntil(Priority priority, Component component, Instant dueBy, Instant now) {
        Instant byShelfLife = now.plus(minRemaining(priority, component));
        if (dueBy == null) {
            return byShelfLife;
        }
        Instant byDue = dueBy.plus(config.allocation().dueMargin());
        return byDue.isAfter(byShelfLife) ? byDue : byShelfLife;
    }

    Duration minRemaining(Priority priority, Component component) {
        Duration configured = switch (priority) {
            case ROUTINE -> config.allocation().minRemaining().routine();
            case URGENT -> config.allocation().minRemaining().urgent();
            case EMERGENCY -> config.allocation().minRemaining().emergency();
        };
        Duration cap = component.shelfLife().dividedBy(5);
        return configured.compareTo(cap) > 0 ? cap : configured;
    }

    private static UnitRef ref(Unit u) {
        return new UnitRef(u.din, u.component, u.division.isEmpty() ? null : u.division, u.abo, u.rhd, u.quantity, u.expiresAt,
                u.attributes());
    }
}

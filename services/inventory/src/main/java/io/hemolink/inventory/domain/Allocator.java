package io.hemolink.inventory.domain;

import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.tracing.Traces;
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
import io.hemolink.contracts.events.order.OrderAmended;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.inventory.config.InventoryConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
    private static final int CANDIDATES = 8;

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

    /** Which pending orders a lane allocates (ADR 0025): priority never waits behind volume. */
    public enum Lane {
        PRIORITY(List.of(Priority.EMERGENCY, Priority.URGENT)), ROUTINE(List.of(Priority.ROUTINE));

        final List<Priority> priorities;

        Lane(List<Priority> priorities) {
            this.priorities = priorities;
        }

        public static Lane of(Priority priority) {
            return priority == Priority.ROUTINE ? ROUTINE : PRIORITY;
        }
    }

    /** An open line of the key being allocated, with the terms it is filled on. */
    private record Open(StockKey key, Rationing.Claim claim, Terms terms) {
    }

    /**
     * Records a submitted order's lines as pending allocation, for its lane to allocate (the consumer's part: a few
     * inserts in the event's transaction). An order already recorded changes nothing; an order that was closed
     * (cancelled, dispatched) before its submission was seen is recorded closed and never allocated.
     *
     * @return true when the order waits for its lane
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(OrderSubmitted order) {
        Number known = (Number) em.createNativeQuery("select count(*) from demand_line where order_id = ?1")
                .setParameter(1, order.orderId()).getSingleResult();
        if (known.intValue() > 0) {
            return false; // already recorded: nothing is allocated twice
        }
        boolean closed = !em.createNativeQuery("select 1 from order_closed where order_id = ?1")
                .setParameter(1, order.orderId()).getResultList().isEmpty();
        Instant submitted = order.submittedAt() == null ? Instant.now() : order.submittedAt();
        // the consumer's span of the submission: the lane that allocates the order later publishes in this trace
        Traces.TraceContext trace = Traces.current();
        for (OrderLine line : order.lines()) {
            insertLine(new LineRow(order.orderId(), order.locationId(), order.priority(), order.allowSubstitution(),
                    order.dueBy(), submitted, !closed, 0, 0, trace), line);
        }
        return !closed;
    }

    /** What every line of one order shares when it is written to {@code demand_line}. */
    private record LineRow(String orderId, String locationId, Priority priority, boolean allowSubstitution,
                           Instant dueBy, Instant submittedAt, boolean pending, int allocated, int revision,
                           Traces.TraceContext trace) {
    }

    /** The one insert of {@code demand_line}: a line not pending is recorded closed (its order closed before). */
    private void insertLine(LineRow row, OrderLine line) {
        em.createNativeQuery("""
                        insert into demand_line (order_id, line_no, location_id, priority, component, abo, rhd, quantity,
                                                 allow_substitution, due_by, submitted_at, irradiated, cmv_negative,
                                                 low_titre, antigen_negative, pending, closed_at, allocated, revision,
                                                 traceparent, tracestate)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, cast(?15 as text[]), ?16,
                                case when ?16 then null else now() end, ?17, ?18, ?19, ?20)""")
                .setParameter(1, row.orderId()).setParameter(2, line.lineNo()).setParameter(3, row.locationId())
                .setParameter(4, row.priority().name()).setParameter(5, line.component().name())
                .setParameter(6, line.abo().name()).setParameter(7, line.rhd().name()).setParameter(8, line.quantity())
                .setParameter(9, row.allowSubstitution()).setParameter(10, utc(row.dueBy()))
                .setParameter(11, utc(row.submittedAt()))
                .setParameter(12, line.irradiated()).setParameter(13, line.cmvNegative())
                .setParameter(14, line.lowTitre()).setParameter(15, textArray(line.antigenNegative()))
                .setParameter(16, row.pending()).setParameter(17, row.allocated()).setParameter(18, row.revision())
                .setParameter(19, row.trace() == null ? null : row.trace().traceparent())
                .setParameter(20, row.trace() == null ? null : row.trace().tracestate())
                .executeUpdate();
    }

    /** Records a submitted order and allocates it now, in the caller's transaction (what a lane does for a batch). */
    @Transactional(Transactional.TxType.MANDATORY)
    public AllocationMade allocate(OrderSubmitted order) {
        if (record(order)) {
            AllocationMade made = allocatePending(pendingLines("order_id = ?1", order.orderId())).get(order.orderId());
            if (made != null) {
                return made;
            }
        }
        return picture(order.orderId(), order.locationId());
    }

    /**
     * One transaction of a lane: up to {@code maxOrders} pending orders of the lane, highest priority, earliest due
     * and first submitted first (lines another transaction holds are passed over), allocated together: each stock key
     * locked once, its lines served in {@link Rationing}'s order, its level changed once, each order's picture
     * published once. Returns the orders allocated (none: nothing pending).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> drain(Lane lane, int maxOrders) {
        String priorities = textArray(lane.priorities.stream().map(Enum::name).toList());
        @SuppressWarnings("unchecked")
        List<String> orders = em.createNativeQuery("""
                        select order_id from demand_line where pending and closed_at is null
                        and priority = any(cast(?1 as text[]))
                        group by order_id
                        order by min(case priority when 'EMERGENCY' then 0 when 'URGENT' then 1 else 2 end),
                                 min(due_by) nulls last, min(submitted_at), order_id
                        limit ?2""")
                .setParameter(1, priorities).setParameter(2, maxOrders).getResultList();
        if (orders.isEmpty()) {
            return Set.of();
        }
        return allocatePending(pendingLines("order_id = any(cast(?1 as text[]))", textArray(orders))).keySet();
    }

    /** Pending lines matching {@code where} (parameter ?1), locked; lines another transaction holds are passed over. */
    private List<Open> pendingLines(String where, Object parameter) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select order_id, line_no, location_id, priority, quantity, allocated, due_by, submitted_at,
                               allow_substitution, irradiated, cmv_negative, low_titre,
                               array_to_string(antigen_negative, ','), component, abo, rhd
                        from demand_line where pending and closed_at is null and\s""" + where
                        + " order by order_id, line_no for update skip locked")
                .setParameter(1, parameter).getResultList();
        return rows.stream().map(r -> new Open(new StockKey(Component.valueOf((String) r[13]),
                Abo.valueOf((String) r[14]), RhD.valueOf((String) r[15])), claim(r), terms(r))).toList();
    }

    private static Rationing.Claim claim(Object[] r) {
        return new Rationing.Claim((String) r[0], ((Number) r[1]).intValue(), (String) r[2],
                Priority.valueOf((String) r[3]), ((Number) r[4]).intValue(), ((Number) r[5]).intValue(),
                instant(r[6]), instant(r[7]));
    }

    private static Terms terms(Object[] r) {
        String antigens = (String) r[12];
        return new Terms((Boolean) r[8], new Requirements((Boolean) r[9], (Boolean) r[10], (Boolean) r[11],
                antigens == null || antigens.isEmpty() ? List.of() : List.of(antigens.split(","))));
    }

    /**
     * Allocates pending lines (locked by the caller): keys locked once each in one global order, so two transactions
     * never wait on each other in a cycle; ROUTINE lines of a group in shortage wait for the round (ADR 0009). The
     * lines leave the pending state, the bags go through the ledger together and every order's picture is published.
     */
    private Map<String, AllocationMade> allocatePending(List<Open> lines) {
        if (lines.isEmpty()) {
            return Map.of();
        }
        Map<StockKey, List<Open>> byKey = new java.util.TreeMap<>(java.util.Comparator.comparing(StockKey::toString));
        lines.forEach(l -> byKey.computeIfAbsent(l.key(), k -> new ArrayList<>()).add(l));
        lock(byKey.keySet());
        Instant now = Instant.now();
        List<StockLedger.Reserved> taken = new ArrayList<>();
        for (Map.Entry<StockKey, List<Open>> entry : byKey.entrySet()) {
            Level level = regionLevel(entry.getKey());
            Map<Rationing.Claim, Terms> terms = new LinkedHashMap<>();
            for (Open line : entry.getValue()) {
                if (line.claim().priority() == Priority.ROUTINE && level != null && level.isShortage()) {
                    continue; // shared by need in the next round
                }
                terms.put(line.claim(), line.terms());
            }
            if (!terms.isEmpty()) {
                fill(rationing.round(new ArrayList<>(terms.keySet()), level, Map.of()), entry.getKey(), terms, level, now,
                        taken);
            }
        }
        settle(taken, lines.stream().map(l -> new String[]{l.claim().orderId(), String.valueOf(l.claim().lineNo())})
                .toList(), now);
        return publishAll(lines.stream().map(l -> l.claim().orderId()).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * The bags taken go through the ledger together (one movement statement, one level change per key), and the lines
     * count what they were given; {@code pendingDone} (order id, line) leave the pending state.
     */
    private void settle(List<StockLedger.Reserved> taken, List<String[]> pendingDone, Instant now) {
        ledger.reserved(taken, "system:allocation", now);
        Map<String, Integer> given = new LinkedHashMap<>();
        for (String[] line : pendingDone) {
            given.putIfAbsent(line[0] + "\u0000" + line[1], 0);
        }
        for (StockLedger.Reserved bag : taken) {
            given.merge(bag.orderId() + "\u0000" + bag.lineNo(), bag.quantity(), Integer::sum);
        }
        if (given.isEmpty()) {
            return;
        }
        List<String> orders = new ArrayList<>();
        List<String> lineNos = new ArrayList<>();
        List<String> quantities = new ArrayList<>();
        given.forEach((k, q) -> {
            int cut = k.indexOf('\u0000');
            orders.add(k.substring(0, cut));
            lineNos.add(k.substring(cut + 1));
            quantities.add(String.valueOf(q));
        });
        em.createNativeQuery("""
                        update demand_line d set allocated = d.allocated + v.q, pending = false
                        from (select unnest(cast(?1 as text[])) o, unnest(cast(?2 as int[])) l, unnest(cast(?3 as int[])) q) v
                        where d.order_id = v.o and d.line_no = v.l""")
                .setParameter(1, textArray(orders)).setParameter(2, textArray(lineNos))
                .setParameter(3, textArray(quantities)).executeUpdate();
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
        lock(List.of(key));
        // the lines are locked, so a cancellation or dispatch of their order waits for this round; a line another
        // transaction holds (being closed, or short again after a QA hold that runs its own round) is passed over, so
        // a round never waits for a line while holding the key; pending lines are their lane's (ADR 0025)
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select order_id, line_no, location_id, priority, quantity, allocated, due_by, submitted_at,
                               allow_substitution, irradiated, cmv_negative, low_titre, array_to_string(antigen_negative, ',')
                        from demand_line where closed_at is null and allocated < quantity and not pending
                        and component = ?1 and abo = ?2 and rhd = ?3
                        order by submitted_at, order_id, line_no for update skip locked""")
                .setParameter(1, key.component().name()).setParameter(2, key.abo().name())
                .setParameter(3, key.rhd().name())
                .getResultList();
        if (rows.isEmpty()) {
            return Set.of();
        }
        Map<Rationing.Claim, Terms> substitution = new LinkedHashMap<>();
        for (Object[] r : rows) {
            substitution.put(claim(r), terms(r));
        }
        List<Rationing.Claim> claims = new ArrayList<>(substitution.keySet());
        Map<String, Rationing.Need> needs = new HashMap<>();
        for (Rationing.Claim c : claims) {
            needs.computeIfAbsent(c.locationId(), location -> need(location, key));
        }
        Level level = regionLevel(key);
        Rationing.Round round = rationing.round(claims, level, needs);
        Instant now = Instant.now();
        List<StockLedger.Reserved> taken = new ArrayList<>();
        Set<String> changed = fill(round, key, substitution, level, now, taken);
        settle(taken, List.of(), now);
        publishAll(changed);
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
            publishAll(List.of(orderId));
        }
    }

    /**
     * Hands out bags in the round's order until every line has its entitlement or nothing more can be found. A line is
     * given the bags covering what it may still have in one go (one statement per donor group), except ROUTINE lines
     * shared by need under a shortage, which get one bag at a time so that the next bag goes to the greatest need.
     */
    private Set<String> fill(Rationing.Round round, StockKey key, Map<Rationing.Claim, Terms> terms, Level level,
                             Instant now, List<StockLedger.Reserved> taken) {
        Set<String> changed = new LinkedHashSet<>();
        boolean shortage = level != null && level.isShortage();
        for (Optional<Rationing.Claim> next = round.next(); next.isPresent(); next = round.next()) {
            Rationing.Claim claim = next.get();
            boolean oneAtATime = shortage && claim.priority() == Priority.ROUTINE;
            int want = round.remaining(claim);
            List<StockLedger.Reserved> bags = takeBags(key, claim,
                    terms.getOrDefault(claim, new Terms(false, Requirements.NONE)), now, want,
                    oneAtATime ? 1 : Integer.MAX_VALUE);
            if (bags.isEmpty()) {
                round.exhausted(claim);
                continue;
            }
            for (StockLedger.Reserved bag : bags) {
                round.given(claim, bag.quantity());
            }
            taken.addAll(bags);
            changed.add(claim.orderId());
            if (!oneAtATime && round.remaining(claim) > 0) {
                round.exhausted(claim); // it took every bag it may have
            }
        }
        return changed;
    }

    /** One donor choice of a line: a group (both RhD of one ABO for plasma), optionally expiring by a time. */
    private record Option(Abo abo, List<RhD> rhds, Instant expiringBefore, Requirements requirements) {
    }

    /**
     * The bags for a line of {@code key} covering {@code want} (at most {@code maxBags}), reserved for it: first expiry
     * first among the groups it may take, in their order, with enough shelf life left (at the least
     * {@code allocation.min-remaining} of its priority, and still usable {@code allocation.due-margin} after the order
     * is due), meeting every special requirement of the line (and low-titre where the compatibility table allows the
     * group only so), taken with SKIP LOCKED (a bag another transaction is taking is passed over, never waited for).
     * With substitution, an RhD-positive patient's line takes the same ABO's RhD-negative bags that would otherwise
     * expire (within {@code allocation.rhd-negative-release}) first; other RhD-negative bags come last. Plasma and cryo
     * need no RhD match: with substitution both RhD of one ABO are one first-expiry-first-out choice.
     */
    private List<StockLedger.Reserved> takeBags(StockKey key, Rationing.Claim claim, Terms terms, Instant now, int want,
                                                int maxBags) {
        Instant usableUntil = usableUntil(claim.priority(), key.component(), claim.dueBy(), now);
        BloodGroup patient = BloodGroup.of(key.abo(), key.rhd());
        Requirements asked = terms.requirements();
        boolean plasma = key.component().productClass() == ProductClass.PLASMA;
        List<Option> options = new ArrayList<>();
        if (!terms.allowSubstitution()) {
            options.add(new Option(key.abo(), List.of(key.rhd()), null, asked));
        } else {
            if (patient.rhd() == RhD.POS && !plasma) {
                options.add(new Option(key.abo(), List.of(RhD.NEG), now.plus(config.allocation().rhdNegativeRelease()),
                        asked));
            }
            Set<Abo> plasmaDone = new java.util.HashSet<>();
            for (CompatibilityTable.DonorOption option
                    : compatibility.donorOptions(key.component().productClass(), patient)) {
                Requirements needed = option.lowTitreOnly()
                        ? new Requirements(asked.irradiated(), asked.cmvNegative(), true, asked.antigenNegative())
                        : asked;
                if (plasma) {
                    if (plasmaDone.add(option.group().abo())) {
                        options.add(new Option(option.group().abo(), List.of(RhD.POS, RhD.NEG), null, needed));
                    }
                } else {
                    options.add(new Option(option.group().abo(), List.of(option.group().rhd()), null, needed));
                }
            }
        }
        List<StockLedger.Reserved> out = new ArrayList<>();
        int need = want;
        for (Option option : options) {
            while (need > 0 && out.size() < maxBags) {
                int k = Math.min(Math.min(need, maxBags - out.size()), CANDIDATES);
                List<StockLedger.Reserved> got = reserve(key.component(), option, usableUntil, k, need, claim);
                out.addAll(got);
                need -= got.stream().mapToInt(StockLedger.Reserved::quantity).sum();
                if (got.size() < k) {
                    break; // this group has no more bags for the line (or what was left covered it)
                }
            }
            if (need <= 0 || out.size() >= maxBags) {
                break;
            }
        }
        return out;
    }

    /**
     * Reserves for the claim's line the first-expiring station bags of the option still usable at
     * {@code usableUntil} that meet its requirements and no other transaction holds, in one statement: up to
     * {@code candidates} are locked ({@code FOR UPDATE SKIP LOCKED}) in FEFO order and the first of them whose
     * quantities cover {@code need} are updated to RESERVED, returning what the ledger and the picture need. The
     * requirement filter mirrors {@link Requirements#metBy}, which re-checks every bag taken. Each RhD is read on its
     * own from the FEFO index (the partial indexes of V8 for an irradiated, CMV-negative or low-titre line), so the
     * database stops after a few entries instead of sorting a key's whole stock; two RhD (plasma) are read apart and
     * merged here by expiry, then locked by id.
     */
    private List<StockLedger.Reserved> reserve(Component component, Option option, Instant usableUntil, int candidates,
                                               int need, Rationing.Claim claim) {
        Requirements required = option.requirements();
        // fixed fragments, so the planner sees the predicates of the partial indexes (no user text in the SQL)
        StringBuilder filter = new StringBuilder("""
                location_id = :location and component = :component and abo = :abo and rhd = :rhd
                and status = 'AVAILABLE' and expires_at > :usable and expires_at <= :before""");
        if (required.irradiated()) {
            filter.append(" and irradiated");
        }
        if (required.cmvNegative()) {
            filter.append(" and cmv_negative");
        }
        if (required.lowTitre()) {
            filter.append(" and low_titre");
        }
        if (!required.antigenNegative().isEmpty()) {
            filter.append(" and antigen_negative @> cast(:antigens as text[])");
        }
        String lockedCandidates;
        String ids = null;
        if (option.rhds().size() == 1) {
            lockedCandidates = "select id, quantity, expires_at from unit where " + filter
                    + " order by expires_at, id limit :candidates for update skip locked";
        } else {
            List<Object[]> merged = new ArrayList<>();
            for (RhD rhd : option.rhds()) {
                var query = em.createNativeQuery("select id, expires_at from unit where " + filter
                        + " order by expires_at, id limit :candidates");
                bind(query, component, option.abo(), rhd, usableUntil, option.expiringBefore(), candidates, required);
                @SuppressWarnings("unchecked")
                List<Object[]> rows = query.getResultList();
                merged.addAll(rows);
            }
            if (merged.isEmpty()) {
                return List.of();
            }
            merged.sort(java.util.Comparator.<Object[], Instant>comparing(r -> instant(r[1]))
                    .thenComparingLong(r -> ((Number) r[0]).longValue()));
            ids = textArray(merged.stream().limit(candidates).map(r -> String.valueOf(((Number) r[0]).longValue()))
                    .toList());
            lockedCandidates = "select id, quantity, expires_at from unit where id = any(cast(:ids as bigint[]))"
                    + " and status = 'AVAILABLE' order by expires_at, id for update skip locked";
        }
        var update = em.createNativeQuery("with c as (" + lockedCandidates + """
                ), r as (select id, sum(quantity) over (order by expires_at, id) - quantity as before from c)
                update unit u set status = 'RESERVED', order_id = :order, order_line = :line, version = u.version + 1
                from r where u.id = r.id and r.before < :need
                returning u.id, u.din, u.component, u.division, u.abo, u.rhd, u.quantity, u.uom, u.expires_at,
                          u.equipment_id, u.location_id, u.irradiated, u.cmv_negative, u.low_titre,
                          array_to_string(u.antigen_negative, ','), u.product_code""");
        if (ids == null) {
            bind(update, component, option.abo(), option.rhds().get(0), usableUntil, option.expiringBefore(), candidates,
                    required);
        } else {
            update.setParameter("ids", ids);
        }
        update.setParameter("order", claim.orderId()).setParameter("line", claim.lineNo()).setParameter("need", need);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = update.getResultList();
        List<StockLedger.Reserved> bags = new ArrayList<>();
        for (Object[] r : rows) {
            String antigens = (String) r[14];
            var attributes = io.hemolink.contracts.blood.UnitAttributes.of((Boolean) r[11], (Boolean) r[12],
                    (Boolean) r[13], antigens == null || antigens.isEmpty() ? new String[0] : antigens.split(","),
                    (String) r[15]);
            StockLedger.Reserved bag = new StockLedger.Reserved(((Number) r[0]).longValue(), (String) r[1],
                    Component.valueOf((String) r[2]), (String) r[3], Abo.valueOf((String) r[4]), RhD.valueOf((String) r[5]),
                    ((Number) r[6]).intValue(), io.hemolink.contracts.blood.Uom.valueOf((String) r[7]), instant(r[8]),
                    (String) r[9], (String) r[10], attributes, claim.orderId(), claim.lineNo());
            if (!required.metBy(attributes)) {
                throw new IllegalStateException("allocation filter let through " + bag.din() + " " + bag.component()
                        + " which lacks " + required.unmetBy(attributes));
            }
            bags.add(bag);
        }
        // FEFO order within the statement's result (RETURNING keeps no order)
        bags.sort(java.util.Comparator.comparing(StockLedger.Reserved::expiresAt).thenComparingLong(StockLedger.Reserved::id));
        return bags;
    }

    private static void bind(jakarta.persistence.Query query, Component component, Abo abo, RhD rhd, Instant usableUntil,
                             Instant expiringBefore, int candidates, Requirements required) {
        query.setParameter("location", LocationId.STATION)
                .setParameter("component", component.name())
                .setParameter("abo", abo.name())
                .setParameter("rhd", rhd.name())
                .setParameter("usable", utc(usableUntil))
                .setParameter("before", utc(expiringBefore == null ? FAR_FUTURE : expiringBefore))
                .setParameter("candidates", candidates);
        if (!required.antigenNegative().isEmpty()) {
            query.setParameter("antigens", textArray(required.antigenNegative()));
        }
    }

    /** A PostgreSQL array literal of {@code names}, each element quoted (order ids come from events). */
    static String textArray(List<String> names) {
        StringBuilder out = new StringBuilder("{");
        for (String n : names == null ? List.<String>of() : names) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(n.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
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

    /** Serialises submissions and rounds of these keys for the rest of the transaction: one statement, key order. */
    private void lock(Collection<StockKey> keys) {
        lockAll(keys.stream().map(k -> "allocation|" + k).toList());
    }

    /** Transaction-scoped advisory locks on {@code names}, taken in sorted order in one statement. */
    private void lockAll(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        em.createNativeQuery("""
                        select count(pg_advisory_xact_lock(hashtextextended(n, 0)))
                        from (select n from unnest(cast(?1 as text[])) n order by n) s""")
                .setParameter(1, textArray(names.stream().sorted().distinct().toList())).getSingleResult();
    }

    /**
     * Publishes the allocation of each order as it now stands. The orders' own locks (held to commit, taken in
     * order-id order) make a transaction on another key that touched the same order commit first, so each picture is
     * complete and the pictures are stamped in commit order.
     */
    private Map<String, AllocationMade> publishAll(Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Map.of();
        }
        List<String> sorted = orderIds.stream().sorted().distinct().toList();
        lockAll(sorted.stream().map(id -> "allocation-order|" + id).toList());
        Map<String, AllocationMade> pictures = pictures(sorted);
        Map<String, Traces.TraceContext> traces = Span.current().getSpanContext().isValid() ? Map.of() : submissionTraces(sorted);
        pictures.forEach((orderId, made) -> {
            try (Scope ignored = Traces.resume(traces.get(orderId))) {
                outbox.publish(Events.ALLOCATION_MADE, orderId, "order/" + orderId, made);
            }
        });
        return pictures;
    }

    /**
     * The traces the orders' submissions came in (ADR 0031), by order id: a lane or a scheduled round works outside
     * any trace, so each order's picture goes out in the trace of the order it answers. (Work inside a trace, e.g. a
     * round after a call received stock, publishes in that trace.)
     */
    private Map<String, Traces.TraceContext> submissionTraces(List<String> orderIds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select distinct on (order_id) order_id, traceparent, tracestate from demand_line
                        where order_id = any(cast(?1 as text[])) and traceparent is not null
                        order by order_id, line_no""")
                .setParameter(1, textArray(orderIds)).getResultList();
        Map<String, Traces.TraceContext> traces = new HashMap<>();
        for (Object[] r : rows) {
            traces.put((String) r[0], new Traces.TraceContext((String) r[1], (String) r[2]));
        }
        return traces;
    }

    /** The order's allocation as it now stands: per line, the bags reserved for it. */
    public AllocationMade picture(String orderId, String locationId) {
        AllocationMade made = pictures(List.of(orderId)).get(orderId);
        return made != null ? made : new AllocationMade(orderId, locationId, OrderStatus.BACKORDERED, List.of(),
                Instant.now());
    }

    /** The allocations of these orders as they now stand (two statements whatever their number), by order id. */
    private Map<String, AllocationMade> pictures(List<String> orderIds) {
        String ids = textArray(orderIds);
        @SuppressWarnings("unchecked")
        List<Object[]> lines = em.createNativeQuery("""
                        select order_id, line_no, quantity, location_id, revision from demand_line
                        where order_id = any(cast(?1 as text[])) order by order_id, line_no""")
                .setParameter(1, ids).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> units = em.createNativeQuery("""
                        select order_id, order_line, din, component, division, abo, rhd, quantity, expires_at, irradiated,
                               cmv_negative, low_titre, array_to_string(antigen_negative, ','), product_code
                        from unit where order_id = any(cast(?1 as text[])) and status = 'RESERVED'
                        order by expires_at, id""")
                .setParameter(1, ids).getResultList();
        Map<String, List<UnitRef>> bags = new HashMap<>();
        for (Object[] u : units) {
            if (u[1] == null) {
                continue;
            }
            String antigens = (String) u[12];
            String division = (String) u[4];
            bags.computeIfAbsent(u[0] + "\u0000" + ((Number) u[1]).intValue(), k -> new ArrayList<>()).add(new UnitRef(
                    (String) u[2], Component.valueOf((String) u[3]), division == null || division.isEmpty() ? null : division,
                    Abo.valueOf((String) u[5]), RhD.valueOf((String) u[6]), ((Number) u[7]).intValue(), instant(u[8]),
                    io.hemolink.contracts.blood.UnitAttributes.of((Boolean) u[9], (Boolean) u[10], (Boolean) u[11],
                            antigens == null || antigens.isEmpty() ? new String[0] : antigens.split(","),
                            (String) u[13])));
        }
        Map<String, List<Object[]>> byOrder = new LinkedHashMap<>();
        lines.forEach(l -> byOrder.computeIfAbsent((String) l[0], k -> new ArrayList<>()).add(l));
        Map<String, AllocationMade> out = new LinkedHashMap<>();
        Instant at = Instant.now();
        byOrder.forEach((orderId, orderLines) -> {
            List<AllocationMade.Line> made = new ArrayList<>();
            int covered = 0;
            int empty = 0;
            for (Object[] line : orderLines) {
                int lineNo = ((Number) line[1]).intValue();
                List<UnitRef> refs = bags.getOrDefault(orderId + "\u0000" + lineNo, List.of());
                int quantity = refs.stream().mapToInt(UnitRef::quantity).sum();
                if (quantity >= ((Number) line[2]).intValue()) {
                    covered++;
                } else if (refs.isEmpty()) {
                    empty++;
                }
                made.add(new AllocationMade.Line(lineNo, quantity, refs));
            }
            OrderStatus status = covered == orderLines.size() ? OrderStatus.ALLOCATED
                    : empty == orderLines.size() ? OrderStatus.BACKORDERED : OrderStatus.PARTIALLY_ALLOCATED;
            int revision = orderLines.stream().mapToInt(l -> ((Number) l[4]).intValue()).max().orElse(0);
            out.put(orderId, new AllocationMade(orderId, (String) orderLines.get(0)[3], status, made, at, revision));
        });
        return out;
    }

    /**
     * An order amended before dispatch (api.md, "Orders: amend before dispatch"; ADR 0034): its lines are replaced and
     * it waits for its lane again. A line that keeps its number keeps its reserved bags as far as they still fit the
     * amended line (component, a group the line may take, every special requirement, enough shelf life for the new
     * priority and due time), first expiry first, whole bags up to the new quantity; every other bag of the order goes
     * back to stock ({@link AllocationReleased}). The order's lines are locked first (a lane or round allocating them
     * commits before), then its keys, old and new, as a lane takes them. An amendment already applied, one for an order
     * never recorded here or one that was closed (dispatched, cancelled) changes nothing.
     *
     * @return true when the order waits for its lane
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean amend(OrderAmended amended) {
        if (amended.orderId() == null || amended.priority() == null || amended.lines() == null
                || amended.lines().isEmpty()) {
            throw new io.hemolink.common.kafka.PoisonEventException("amendment without order id, priority or lines");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> current = em.createNativeQuery("""
                        select line_no, component, abo, rhd, quantity, revision, closed_at is not null, submitted_at,
                               location_id
                        from demand_line where order_id = ?1 order by line_no for update""")
                .setParameter(1, amended.orderId()).getResultList();
        if (current.isEmpty() || current.stream().anyMatch(r -> (Boolean) r[6])
                || current.stream().mapToInt(r -> ((Number) r[5]).intValue()).max().orElse(0) >= amended.revision()) {
            return false;
        }
        Map<Integer, Object[]> before = new HashMap<>();
        Set<StockKey> keys = new java.util.TreeSet<>(java.util.Comparator.comparing(StockKey::toString));
        for (Object[] r : current) {
            before.put(((Number) r[0]).intValue(), r);
            keys.add(new StockKey(Component.valueOf((String) r[1]), Abo.valueOf((String) r[2]), RhD.valueOf((String) r[3])));
        }
        Map<Integer, OrderLine> after = new LinkedHashMap<>();
        for (OrderLine line : amended.lines()) {
            after.put(line.lineNo(), line);
            keys.add(new StockKey(line.component(), line.abo(), line.rhd()));
        }
        lock(keys);
        Instant now = Instant.now();
        List<Unit> reserved = em.createQuery("""
                        from Unit u where u.orderId = :order and u.status = :reserved order by u.expiresAt, u.id""",
                        Unit.class)
                .setParameter("order", amended.orderId()).setParameter("reserved", UnitStatus.RESERVED)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        Map<Integer, Integer> kept = new HashMap<>();
        List<Unit> released = new ArrayList<>();
        for (Unit u : reserved) {
            OrderLine line = u.orderLine == null ? null : after.get(u.orderLine);
            int has = line == null ? 0 : kept.getOrDefault(line.lineNo(), 0);
            if (line != null && has < line.quantity() && fits(u, line, amended, now)) {
                kept.put(line.lineNo(), has + u.quantity);
            } else {
                released.add(u);
            }
        }
        unreserve(amended.orderId(), released, "order amended", amended.actor() == null ? "system" : amended.actor(),
                now);
        em.createNativeQuery("delete from demand_line where order_id = ?1").setParameter(1, amended.orderId())
                .executeUpdate();
        // the consumer's span of the amendment: the lane's picture of the amended order goes out in this trace
        Traces.TraceContext trace = Traces.current();
        String location = (String) current.get(0)[8];
        for (OrderLine line : after.values()) {
            Object[] was = before.get(line.lineNo());
            // a line keeps its place in the queue unless it now asks for more, or for something else
            boolean samePlace = was != null && line.component().name().equals(was[1]) && line.abo().name().equals(was[2])
                    && line.rhd().name().equals(was[3]) && line.quantity() <= ((Number) was[4]).intValue();
            Instant submitted = samePlace ? instant(was[7]) : amended.amendedAt() == null ? now : amended.amendedAt();
            insertLine(new LineRow(amended.orderId(), location, amended.priority(), amended.allowSubstitution(),
                    amended.dueBy(), submitted, true, kept.getOrDefault(line.lineNo(), 0), amended.revision(), trace),
                    line);
        }
        return true;
    }

    /**
     * Whether a bag reserved for an order still fits its amended line: the line's component, its own group or (with
     * substitution) a group the compatibility table gives its patients, low-titre where the table allows the group
     * only so, every special requirement, and the shelf life the amended priority and due time demand.
     */
    private boolean fits(Unit u, OrderLine line, OrderAmended amended, Instant now) {
        if (u.component != line.component()) {
            return false;
        }
        Requirements needed = line.requirements();
        if (u.abo != line.abo() || u.rhd != line.rhd()) {
            if (!amended.allowSubstitution()) {
                return false;
            }
            boolean plasma = line.component().productClass() == ProductClass.PLASMA;
            Optional<CompatibilityTable.DonorOption> option = compatibility
                    .donorOptions(line.component().productClass(), BloodGroup.of(line.abo(), line.rhd())).stream()
                    .filter(o -> o.group().abo() == u.abo && (plasma || o.group().rhd() == u.rhd)).findFirst();
            if (option.isEmpty()) {
                return false;
            }
            if (option.get().lowTitreOnly()) {
                needed = new Requirements(needed.irradiated(), needed.cmvNegative(), true, needed.antigenNegative());
            }
        }
        return needed.metBy(u.attributes())
                && u.expiresAt.isAfter(usableUntil(amended.priority(), line.component(), amended.dueBy(), now));
    }

    /**
     * The order left the queue (dispatched or cancelled): its lines are no longer open demand, and a submission of it
     * seen later is never allocated. Waits for a lane or round allocating its lines to commit (their row locks), so
     * what that allocation reserved is given back by the caller's release.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void close(String orderId, String reason) {
        em.createNativeQuery("insert into order_closed (order_id, reason) values (?1, ?2) on conflict do nothing")
                .setParameter(1, orderId).setParameter(2, reason).executeUpdate();
        em.createNativeQuery("""
                        update demand_line set closed_at = now(), pending = false
                        where order_id = ?1 and closed_at is null""")
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
        return unreserve(orderId, reserved, reason, actor, Instant.now());
    }

    /** The bags (reserved for the order, locked) go back to stock; one {@link AllocationReleased} names them. */
    private List<Unit> unreserve(String orderId, List<Unit> bags, String reason, String actor, Instant now) {
        for (Unit u : bags) {
            ledger.record(u, MovementType.UNRESERVED, UnitStatus.AVAILABLE, u.locationId,
                    new StockLedger.Details(null, reason, null, actor, now));
            u.orderId = null;
            u.orderLine = null;
        }
        if (!bags.isEmpty()) {
            outbox.publish(Events.ALLOCATION_RELEASED, orderId, "order/" + orderId,
                    new AllocationReleased(orderId, bags.stream().map(Allocator::ref).toList(), reason, now));
        }
        return bags;
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

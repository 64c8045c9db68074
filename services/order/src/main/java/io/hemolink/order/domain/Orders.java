package io.hemolink.order.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.kafka.PoisonEventException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.AllocationReleased;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderAmended;
import io.hemolink.contracts.events.order.OrderCancelled;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.order.OrderStatusChanged;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.contracts.events.order.ServiceLevelBreached;
import io.hemolink.order.config.OrderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The order lifecycle in one place: submission (validated against the locations registry and the configured
 * limits, {@code dueBy} from the service levels), allocation events from the inventory (the latest full picture
 * wins; nothing moves an order back once it is dispatched or cancelled), cancellation before dispatch, dispatch with
 * its issue note, receipt bag by bag, and the service-level check. Every status change is in the history and every
 * fact others need goes out through the outbox in the same transaction.
 */
@ApplicationScoped
public class Orders {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(Orders.class);
    /** Clock skew tolerated on {@code neededBy}. */
    private static final Duration SKEW = Duration.ofMinutes(1);
    public static final String ALLOCATION_ACTOR = "system:inventory";
    public static final String SERVICE_LEVEL_ACTOR = "system:service-level";

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    OrderConfig config;

    @Inject
    ServiceLevels serviceLevels;

    @Inject
    MeterRegistry metrics;

    @Inject
    io.hemolink.common.domain.SpecialAttributeRules specialRules;

    /** One requested line. */
    public record NewLine(Component component, Abo abo, RhD rhd, int quantity, boolean irradiated, boolean cmvNegative,
                          boolean lowTitre, List<String> antigenNegative) {
        public NewLine {
            antigenNegative = antigenNegative == null ? List.of()
                    : List.copyOf(new java.util.TreeSet<>(antigenNegative));
        }
    }

    /** What is ordered; {@code allowSubstitution} null means the priority's default (EMERGENCY allows it). */
    public record Submission(String locationId, Priority priority, Instant neededBy, Boolean allowSubstitution,
                             List<NewLine> lines, String notes, String standingOrderId) {
    }

    /** One bag at receipt. */
    public record Receipt(String din, Component component, boolean accepted, String reason) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public BloodOrder submit(Submission s, String actor, Instant now) {
        return submit(s, actor, now, UUID.randomUUID().toString());
    }

    /**
     * Checks a submission against the locations registry, the limits and {@code neededBy}, and throws the refusal when
     * it may not be placed; writes nothing. It has no transaction of its own, so a consumer that catches the refusal
     * (a request it must log and drop) keeps its transaction for the rest of the event.
     *
     * @return the location ordering
     * @throws DomainException when the submission may not be placed
     */
    public Location check(Submission s, Instant now) {
        Location location = Location.findById(s.locationId());
        if (location == null) {
            throw DomainException.invalid("LOCATION_UNKNOWN", "location " + s.locationId() + " is not registered",
                    "locationId");
        }
        if (location.kind == Location.Kind.STATION) {
            throw DomainException.invalid("LOCATION_NOT_ORDERABLE", "the station does not order from itself",
                    "locationId");
        }
        validateLines(s.lines());
        checkNeededBy(s.neededBy(), now);
        return location;
    }

    private void checkNeededBy(Instant neededBy, Instant now) {
        if (neededBy == null) {
            return;
        }
        if (neededBy.isBefore(now.minus(SKEW))) {
            throw DomainException.invalid("NEEDED_BY_IN_PAST", "neededBy is in the past", "neededBy");
        }
        if (neededBy.isAfter(now.plus(config.limits().horizon()))) {
            throw DomainException.invalid("NEEDED_BY_TOO_FAR", "neededBy is further ahead than "
                    + config.limits().horizon().toDays() + " days", "neededBy");
        }
    }

    /** A line of an amendment: {@code lineNo} names a line the order keeps (with its bags as far as they fit). */
    public record AmendedLine(Integer lineNo, NewLine line) {
    }

    /** What an amendment changes; a null field stays as it is, {@code lines} given replace the order's lines. */
    public record Amendment(Priority priority, Instant neededBy, List<AmendedLine> lines) {
    }

    /**
     * Amends an order before dispatch (api.md, "Orders: amend before dispatch"; ADR 0034): a new priority takes a new
     * {@code dueBy} from the service levels, lines given replace the order's lines (a line naming its {@code lineNo}
     * keeps its number; new lines are numbered after the highest the order had), the order waits for its allocation
     * again (SUBMITTED, its bags shown again once the inventory has answered for this revision) and the history
     * records what changed. Refused, it changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public BloodOrder amend(BloodOrder o, Amendment a, String actor, Instant now) {
        if (o.status == OrderStatus.CANCELLED) {
            throw DomainException.conflict("ORDER_CANCELLED", "the order was cancelled and can no longer be amended");
        }
        if (!o.isBeforeDispatch()) {
            throw DomainException.conflict("ORDER_DISPATCHED", "the order is " + o.status
                    + "; an order can be amended only before dispatch");
        }
        if (a.priority() == null && a.neededBy() == null && a.lines() == null) {
            throw DomainException.invalid("AMENDMENT_EMPTY", "nothing to amend: give priority, neededBy or lines");
        }
        if (a.lines() != null) {
            validateLines(a.lines().stream().map(AmendedLine::line).toList());
            Set<Integer> named = new HashSet<>();
            for (int i = 0; i < a.lines().size(); i++) {
                Integer no = a.lines().get(i).lineNo();
                if (no == null) {
                    continue;
                }
                if (o.line(no) == null) {
                    throw DomainException.invalid("LINE_UNKNOWN", "the order has no line " + no,
                            "lines[" + i + "].lineNo");
                }
                if (!named.add(no)) {
                    throw DomainException.invalid("LINE_DUPLICATED", "line " + no + " is named twice",
                            "lines[" + i + "].lineNo");
                }
            }
        }
        checkNeededBy(a.neededBy(), now);
        List<String> changes = new ArrayList<>();
        if (a.priority() != null && a.priority() != o.priority) {
            changes.add("priority " + o.priority + " → " + a.priority());
            o.priority = a.priority();
            o.dueBy = serviceLevels.dueBy(a.priority(), now);
        }
        if (a.neededBy() != null && !a.neededBy().equals(o.neededBy)) {
            changes.add("neededBy " + a.neededBy());
            o.neededBy = a.neededBy();
        }
        if (a.lines() != null) {
            amendLines(o, a.lines(), changes);
        }
        if (changes.isEmpty()) {
            return o; // the order already is as asked: nothing to allocate again
        }
        for (BloodOrderLine line : o.lines) {
            line.units.clear(); // shown again as the inventory allocates this revision
            line.allocatedQuantity = 0;
        }
        o.revision++;
        o.amendedAt = now;
        record(o, OrderStatus.SUBMITTED, actor, now, "amended: " + String.join("; ", changes));
        metrics.counter("hemolink.orders.amended", "priority", o.priority.name()).increment();
        outbox.publish(Events.ORDER_AMENDED, o.id, subject(o), new OrderAmended(o.id, o.locationId, o.revision,
                o.priority, o.neededBy, o.dueBy, o.allowSubstitution, orderLines(o), now, actor));
        return o;
    }

    private static void amendLines(BloodOrder o, List<AmendedLine> given, List<String> changes) {
        int next = o.lines.stream().mapToInt(l -> l.lineNo).max().orElse(0);
        Set<Integer> kept = new HashSet<>();
        List<BloodOrderLine> added = new ArrayList<>();
        for (AmendedLine al : given) {
            NewLine nl = al.line();
            BloodOrderLine line;
            if (al.lineNo() != null) {
                line = o.line(al.lineNo());
                kept.add(line.lineNo);
                if (same(line, nl)) {
                    continue;
                }
                changes.add("line " + line.lineNo + " " + describe(line) + " → " + describe(nl));
            } else {
                line = new BloodOrderLine();
                line.order = o;
                line.lineNo = ++next;
                added.add(line);
                changes.add("line " + line.lineNo + " " + describe(nl) + " added");
            }
            asked(line, nl);
        }
        for (BloodOrderLine line : List.copyOf(o.lines)) {
            if (!kept.contains(line.lineNo) && !added.contains(line)) {
                changes.add("line " + line.lineNo + " " + describe(line) + " removed");
                o.lines.remove(line);
            }
        }
        o.lines.addAll(added);
    }

    /** The line asks for what {@code nl} asks. */
    private static void asked(BloodOrderLine line, NewLine nl) {
        line.component = nl.component();
        line.abo = nl.abo();
        line.rhd = nl.rhd();
        line.quantity = nl.quantity();
        line.irradiated = nl.irradiated();
        line.cmvNegative = nl.cmvNegative();
        line.lowTitre = nl.lowTitre();
        line.antigenNegative = nl.antigenNegative().toArray(String[]::new);
    }

    private static boolean same(BloodOrderLine l, NewLine nl) {
        return l.component == nl.component() && l.abo == nl.abo() && l.rhd == nl.rhd() && l.quantity == nl.quantity()
                && l.irradiated == nl.irradiated() && l.cmvNegative == nl.cmvNegative() && l.lowTitre == nl.lowTitre()
                && List.of(l.antigenNegative).equals(nl.antigenNegative());
    }

    private static String describe(BloodOrderLine l) {
        return describe(new NewLine(l.component, l.abo, l.rhd, l.quantity, l.irradiated, l.cmvNegative, l.lowTitre,
                List.of(l.antigenNegative)));
    }

    private static String describe(NewLine l) {
        StringBuilder out = new StringBuilder().append(l.quantity()).append(' ').append(l.component().uom()).append(' ')
                .append(l.component()).append(' ').append(l.abo()).append(' ').append(l.rhd());
        if (l.irradiated()) {
            out.append(" irradiated");
        }
        if (l.cmvNegative()) {
            out.append(" CMV-negative");
        }
        if (l.lowTitre()) {
            out.append(" low-titre");
        }
        if (!l.antigenNegative().isEmpty()) {
            out.append(" antigen-negative ").append(String.join(",", l.antigenNegative()));
        }
        return out.toString();
    }

    private static List<OrderLine> orderLines(BloodOrder o) {
        return o.lines.stream().map(l -> new OrderLine(l.lineNo, l.component, l.abo, l.rhd, l.quantity, l.irradiated,
                l.cmvNegative, l.lowTitre, List.of(l.antigenNegative))).toList();
    }

    /**
     * Submits an order under a given id (a storage point's replenishment request names its order), after
     * {@link #check}; a refusal rolls the transaction back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public BloodOrder submit(Submission s, String actor, Instant now, String orderId) {
        Location location = check(s, now);
        BloodOrder o = new BloodOrder();
        o.id = orderId;
        o.locationId = location.id;
        o.priority = s.priority();
        o.createdAt = now;
        o.neededBy = s.neededBy();
        o.dueBy = serviceLevels.dueBy(s.priority(), now);
        o.allowSubstitution = s.allowSubstitution() != null ? s.allowSubstitution() : s.priority() == Priority.EMERGENCY;
        o.notes = s.notes();
        o.standingOrderId = s.standingOrderId();
        o.createdBy = actor;
        int lineNo = 0;
        for (NewLine nl : s.lines()) {
            BloodOrderLine line = new BloodOrderLine();
            line.order = o;
            line.lineNo = ++lineNo;
            asked(line, nl);
            o.lines.add(line);
        }
        move(o, OrderStatus.SUBMITTED, actor, now, s.standingOrderId() == null ? null
                : "standing order " + s.standingOrderId());
        o.persist();
        metrics.counter("hemolink.orders.submitted", "priority", o.priority.name()).increment();
        outbox.publish(Events.ORDER_SUBMITTED, o.id, subject(o), new OrderSubmitted(o.id, o.locationId, o.priority,
                o.neededBy, o.dueBy, o.allowSubstitution, orderLines(o), now, actor));
        return o;
    }

    /** Quantities above zero and within the configured ceiling of their unit of issue; not too many lines. */
    public void validateLines(List<NewLine> lines) {
        if (lines == null || lines.isEmpty()) {
            throw DomainException.invalid("LINES_REQUIRED", "an order needs at least one line", "lines");
        }
        if (lines.size() > config.limits().maxLines()) {
            throw DomainException.invalid("TOO_MANY_LINES", "at most " + config.limits().maxLines()
                    + " lines in one order", "lines");
        }
        for (int i = 0; i < lines.size(); i++) {
            NewLine l = lines.get(i);
            int ceiling = switch (l.component().uom()) {
                case U -> config.limits().maxUnits();
                case ML -> config.limits().maxMl();
                case DOSE -> config.limits().maxDoses();
            };
            if (l.quantity() <= 0) {
                throw DomainException.invalid("QUANTITY_INVALID", "quantity must be above zero",
                        "lines[" + i + "].quantity");
            }
            if (l.quantity() > ceiling) {
                throw DomainException.invalid("QUANTITY_TOO_LARGE", "at most " + ceiling + " "
                        + l.component().uom() + " of " + l.component() + " in one line", "lines[" + i + "].quantity");
            }
            // a requirement no bag of the component can meet would make the line wait for ever
            specialRules.check(l.component(), l.irradiated(), l.cmvNegative(), l.antigenNegative(), "lines[" + i + "].",
                    "REQUIREMENT_NOT_APPLICABLE");
        }
    }

    /** The order, locked for a change; null when there is none. */
    public BloodOrder locked(String id) {
        return BloodOrder.find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * The inventory's allocation: the full current picture of every line. Applied only to an order still before
     * dispatch and only when newer than the last one applied.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void allocationMade(AllocationMade made) {
        if (made.orderId() == null || made.status() == null || made.lines() == null) {
            throw new PoisonEventException("allocation without order id, status or lines");
        }
        if (!BloodOrder.ALLOCATION_RESULTS.contains(made.status())) {
            throw new PoisonEventException("allocation of order " + made.orderId() + " with status " + made.status());
        }
        BloodOrder o = locked(made.orderId());
        if (o == null) {
            LOG.warnf("allocation for unknown order %s ignored", made.orderId());
            return;
        }
        if (!o.isBeforeDispatch()) {
            LOG.infof("allocation for order %s ignored: it is %s", o.id, o.status);
            return;
        }
        if (made.revision() < o.revision) {
            LOG.infof("allocation of order %s for revision %d ignored: it was amended since (revision %d)", o.id,
                    made.revision(), o.revision);
            return;
        }
        Instant at = made.at() == null ? Instant.now() : made.at();
        if (o.allocationAt != null && !at.isAfter(o.allocationAt)) {
            LOG.infof("allocation of %s for order %s ignored: a newer one (%s) was applied", at, o.id, o.allocationAt);
            return;
        }
        Map<Integer, AllocationMade.Line> byLine = new HashMap<>();
        for (AllocationMade.Line line : made.lines()) {
            if (o.line(line.lineNo()) == null) {
                throw new PoisonEventException("allocation of order " + o.id + " names line " + line.lineNo()
                        + ", which it does not have");
            }
            byLine.put(line.lineNo(), line);
        }
        for (BloodOrderLine line : o.lines) {
            AllocationMade.Line allocated = byLine.get(line.lineNo);
            line.units.clear();
            line.allocatedQuantity = 0;
            if (allocated == null) {
                continue;
            }
            for (UnitRef ref : allocated.units() == null ? List.<UnitRef>of() : allocated.units()) {
                AllocatedUnit u = new AllocatedUnit();
                u.line = line;
                u.din = ref.din();
                u.component = ref.component();
                u.division = ref.division();
                u.abo = ref.abo();
                u.rhd = ref.rhd();
                u.quantity = ref.quantity();
                u.expiresAt = ref.expiresAt();
                if (ref.attributes() != null) {
                    u.special.set(ref.attributes());
                    u.productCode = ref.attributes().productCode();
                }
                line.units.add(u);
            }
            line.allocatedQuantity = allocated.allocatedQuantity();
        }
        if (o.allocationAt == null) {
            // submission to the first allocation seen here: the latency the benchmark target is about
            Timer.builder("hemolink.orders.allocation.latency").description("order submitted to its first allocation applied")
                    .tag("priority", o.priority.name()).publishPercentiles(0.5, 0.99).register(metrics)
                    .record(Duration.between(o.createdAt, Instant.now()));
        }
        o.allocationAt = at;
        move(o, made.status(), ALLOCATION_ACTOR, at, null);
    }

    /** Reservations given back: the bags leave their lines; an order before dispatch shows what is left. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void allocationReleased(AllocationReleased released) {
        BloodOrder o = released.orderId() == null ? null : locked(released.orderId());
        if (o == null) {
            LOG.warnf("release for unknown order %s ignored", released.orderId());
            return;
        }
        if (!o.isBeforeDispatch() && o.status != OrderStatus.CANCELLED) {
            LOG.infof("release for order %s ignored: it is %s", o.id, o.status);
            return;
        }
        Set<String> gone = new HashSet<>();
        for (UnitRef ref : released.units() == null ? List.<UnitRef>of() : released.units()) {
            gone.add(ref.din() + "|" + ref.component());
        }
        for (BloodOrderLine line : o.lines) {
            line.units.removeIf(u -> gone.contains(u.din + "|" + u.component));
            line.allocatedQuantity = line.units.stream().mapToInt(u -> u.quantity).sum();
        }
        if (o.isBeforeDispatch() && o.status != OrderStatus.SUBMITTED) {
            Instant at = released.at() == null ? Instant.now() : released.at();
            move(o, o.allocationStatus(), ALLOCATION_ACTOR, at, released.reason());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public BloodOrder cancel(BloodOrder o, String reason, String actor, Instant now) {
        if (o.status == OrderStatus.CANCELLED) {
            return o;
        }
        if (!o.isBeforeDispatch()) {
            throw DomainException.conflict("ORDER_NOT_CANCELLABLE", "the order is " + o.status + " and can no longer be cancelled");
        }
        move(o, OrderStatus.CANCELLED, actor, now, reason);
        outbox.publish(Events.ORDER_CANCELLED, o.id, subject(o), new OrderCancelled(o.id, o.locationId, reason, actor, now));
        return o;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public IssueNote dispatch(BloodOrder o, String actor, Instant now) {
        if (!BloodOrder.DISPATCHABLE.contains(o.status)) {
            throw DomainException.conflict("ORDER_NOT_DISPATCHABLE", "only an ALLOCATED or PARTIALLY_ALLOCATED order can be"
                    + " dispatched; this one is " + o.status);
        }
        List<AllocatedUnit> bags = o.units();
        if (bags.isEmpty()) {
            throw DomainException.conflict("ORDER_NOT_DISPATCHABLE", "no bags are allocated to this order");
        }
        if (o.breachedAt == null && now.isAfter(o.dueBy)) {
            breach(o, now);
        }
        long seq = ((Number) em.createNativeQuery("select nextval('issue_note_no')").getSingleResult()).longValue();
        IssueNote note = new IssueNote();
        note.no = config.issueNotePrefix() + DateTimeFormatter.ofPattern("yyyyMMdd").format(now.atZone(config.zone()))
                + "-" + String.format("%06d", seq);
        note.orderId = o.id;
        note.locationId = o.locationId;
        note.issuedAt = now;
        note.issuedBy = actor;
        note.persist();
        move(o, OrderStatus.DISPATCHED, actor, now, "issue note " + note.no);
        outbox.publish(Events.ORDER_DISPATCHED, o.id, subject(o), new OrderDispatched(o.id, o.locationId, note.no,
                bags.stream().map(b -> new OrderDispatched.UnitKey(b.din, b.component.name())).toList(), actor, now));
        return note;
    }

    /** Proof of delivery: every dispatched bag exactly once, accepted or rejected with a reason. */
    @Transactional(Transactional.TxType.MANDATORY)
    public BloodOrder receive(BloodOrder o, List<Receipt> receipts, String actor, Instant now) {
        if (o.status != OrderStatus.DISPATCHED) {
            throw DomainException.conflict("ORDER_NOT_RECEIVABLE", "only a DISPATCHED order can be receipted; this one is "
                    + o.status);
        }
        Map<String, AllocatedUnit> dispatched = new HashMap<>();
        for (AllocatedUnit u : o.units()) {
            dispatched.put(u.din + "|" + u.component, u);
        }
        Map<String, Receipt> seen = new HashMap<>();
        for (int i = 0; i < receipts.size(); i++) {
            Receipt r = receipts.get(i);
            String key = r.din() + "|" + r.component();
            if (!dispatched.containsKey(key)) {
                throw DomainException.invalid("UNIT_NOT_DISPATCHED", r.din() + " " + r.component()
                        + " is not on this order's issue note", "units[" + i + "]");
            }
            if (seen.put(key, r) != null) {
                throw DomainException.invalid("UNIT_DUPLICATE", r.din() + " " + r.component() + " is named twice",
                        "units[" + i + "]");
            }
            if (!r.accepted() && (r.reason() == null || r.reason().isBlank())) {
                throw DomainException.invalid("REASON_REQUIRED", "a rejected bag needs a reason", "units[" + i + "].reason");
            }
        }
        List<String> missing = dispatched.keySet().stream().filter(k -> !seen.containsKey(k)).sorted().toList();
        if (!missing.isEmpty()) {
            throw DomainException.invalid("RECEIPT_INCOMPLETE", "every dispatched bag must be accounted for; missing: "
                    + String.join(", ", missing.stream().map(k -> k.replace('|', ' ')).toList()), "units");
        }
        List<OrderReceived.Receipt> out = new ArrayList<>();
        for (AllocatedUnit u : o.units()) {
            Receipt r = seen.get(u.din + "|" + u.component);
            u.accepted = r.accepted();
            u.rejectReason = r.accepted() ? null : r.reason();
            out.add(new OrderReceived.Receipt(u.din, u.component.name(), r.accepted(), u.rejectReason));
        }
        long rejected = out.stream().filter(r -> !r.accepted()).count();
        move(o, OrderStatus.RECEIVED, actor, now, rejected == 0 ? null : rejected + " bag(s) rejected");
        outbox.publish(Events.ORDER_RECEIVED, o.id, subject(o), new OrderReceived(o.id, o.locationId, out, actor, now));
        return o;
    }

    @Scheduled(every = "${hemolink.order.service-levels.check:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledServiceLevelCheck(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("service-levels", execution, () -> checkServiceLevels(Instant.now()));
    }

    /**
     * Marks every order not dispatched by its {@code dueBy} as breached and publishes {@code ServiceLevelBreached},
     * once per order (the mark is the guard; rows are taken with SKIP LOCKED so instances share the work).
     *
     * @return how many orders were found breached
     */
    public int checkServiceLevels(Instant now) {
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> {
                List<BloodOrder> due = em.createQuery("from BloodOrder o where o.breachedAt is null and o.status in :open"
                                + " and o.dueBy < :now order by o.dueBy", BloodOrder.class)
                        .setParameter("open", BloodOrder.BEFORE_DISPATCH)
                        .setParameter("now", now)
                        .setMaxResults(100)
                        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .setHint("jakarta.persistence.lock.timeout", -2)
                        .getResultList();
                due.forEach(o -> breach(o, now));
                return due.size();
            });
            total += n;
            if (n < 100) {
                break;
            }
        }
        if (total > 0) {
            LOG.infof("%d order(s) breached their service level", total);
        }
        return total;
    }

    private void breach(BloodOrder o, Instant now) {
        o.breachedAt = now;
        metrics.counter("hemolink.orders.breached", "priority", o.priority.name()).increment();
        outbox.publish(Events.SERVICE_LEVEL_BREACHED, o.id, subject(o),
                new ServiceLevelBreached(o.id, o.locationId, o.priority, o.dueBy, now));
    }

    /** Moves the order to {@code to} (nothing when it is there already), in its history and on the order topic. */
    private void move(BloodOrder o, OrderStatus to, String actor, Instant at, String detail) {
        if (o.status != to) {
            record(o, to, actor, at, detail);
        }
    }

    /**
     * Records a move in the order's history, also one that keeps the status (an amendment), and publishes it as
     * {@link OrderStatusChanged}: what pushes an order's status to the dashboard and to ORDER_STATUS subscribers.
     */
    private void record(BloodOrder o, OrderStatus to, String actor, Instant at, String detail) {
        OrderStatus previous = o.status;
        o.record(to, actor, at, detail);
        outbox.publish(Events.ORDER_STATUS_CHANGED, o.id, subject(o), new OrderStatusChanged(o.id, o.locationId, to,
                previous, o.priority, o.revision, actor, detail, at));
    }

    static String subject(BloodOrder o) {
        return "order/" + o.id;
    }
}

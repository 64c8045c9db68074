package io.hemolink.order.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.domain.DomainException;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.order.config.OrderConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Standing orders and their placer. Each occurrence (standing order × date in the station's zone) is placed at most
 * once: the occurrence row's primary key commits together with the order it placed, so two placer runs, two
 * instances or a restart never place it twice. After a restart the occurrence of today is caught up when its time has
 * passed; occurrences of earlier days are not (the hospital has re-ordered by hand by then).
 */
@ApplicationScoped
public class StandingOrders {

    @Inject
    io.hemolink.common.scheduling.ClusterJobs jobs;

    private static final Logger LOG = Logger.getLogger(StandingOrders.class);
    public static final String ACTOR = "system:standing-order";
    private static final TypeReference<List<Orders.NewLine>> LINES = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    Orders orders;

    @Inject
    OrderConfig config;

    @Inject
    ObjectMapper mapper;

    /** What a standing order repeats. */
    public record Definition(String locationId, Set<DayOfWeek> days, LocalTime timeOfDay, Priority priority,
                             Boolean allowSubstitution, List<Orders.NewLine> lines, String notes) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public StandingOrder create(Definition d, String actor, Instant now) {
        Location location = Location.findById(d.locationId());
        if (location == null) {
            throw DomainException.invalid("LOCATION_UNKNOWN", "location " + d.locationId() + " is not registered",
                    "locationId");
        }
        if (location.kind == Location.Kind.STATION) {
            throw DomainException.invalid("LOCATION_NOT_ORDERABLE", "the station does not order from itself",
                    "locationId");
        }
        if (d.days() == null || d.days().isEmpty()) {
            throw DomainException.invalid("DAYS_REQUIRED", "name at least one day of the week", "daysOfWeek");
        }
        orders.validateLines(d.lines());
        StandingOrder so = new StandingOrder();
        so.id = "SO-" + UUID.randomUUID();
        so.locationId = location.id;
        so.days(d.days());
        so.timeOfDay = d.timeOfDay();
        so.priority = d.priority();
        so.allowSubstitution = d.allowSubstitution() != null ? d.allowSubstitution() : d.priority() == Priority.EMERGENCY;
        so.lines = json(d.lines());
        so.notes = d.notes();
        so.createdBy = actor;
        so.createdAt = now;
        so.persist();
        return so;
    }

    public List<Orders.NewLine> lines(StandingOrder so) {
        try {
            return mapper.readValue(so.lines, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("standing order " + so.id + " has unreadable lines", e);
        }
    }

    @Scheduled(every = "${hemolink.order.standing-orders.place:1m}", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPlacement(io.quarkus.scheduler.ScheduledExecution execution) {
        jobs.runOnce("standing-orders", execution, () -> placeDue(Instant.now()));
    }

    /**
     * Places every occurrence due at {@code now} that has not been placed yet.
     *
     * @return the ids of the orders placed
     */
    public List<String> placeDue(Instant now) {
        ZoneId zone = config.zone();
        List<StandingOrder> active = QuarkusTransaction.requiringNew().call(() ->
                StandingOrder.<StandingOrder>list("deletedAt is null order by createdAt"));
        List<String> placed = new java.util.ArrayList<>();
        for (StandingOrder so : active) {
            Optional<LocalDate> due = dueOccurrence(so.days(), so.timeOfDay, so.createdAt, now, zone);
            if (due.isEmpty()) {
                continue;
            }
            try {
                QuarkusTransaction.requiringNew().call(() -> place(so.id, due.get(), now)).ifPresent(placed::add);
            } catch (DomainException e) {
                // the standing order no longer fits (location removed, limits lowered): nothing is placed
                LOG.warnf("standing order %s could not be placed for %s: %s %s", so.id, due.get(), e.code(), e.getMessage());
            }
        }
        return placed;
    }

    private Optional<String> place(String standingOrderId, LocalDate date, Instant now) {
        // the standing order's row lock serialises placers; the occurrence key is the guarantee
        StandingOrder so = StandingOrder.findById(standingOrderId, LockModeType.PESSIMISTIC_WRITE);
        if (so == null || so.deletedAt != null) {
            return Optional.empty();
        }
        Number exists = (Number) em.createNativeQuery("select count(*) from standing_order_occurrence"
                        + " where standing_order_id = ?1 and occurrence_date = ?2")
                .setParameter(1, so.id).setParameter(2, date).getSingleResult();
        if (exists.intValue() > 0) {
            return Optional.empty();
        }
        BloodOrder order = orders.submit(new Orders.Submission(so.locationId, so.priority, null, so.allowSubstitution,
                lines(so), so.notes, so.id), ACTOR, now);
        em.createNativeQuery("insert into standing_order_occurrence (standing_order_id, occurrence_date, order_id)"
                        + " values (?1, ?2, ?3)")
                .setParameter(1, so.id).setParameter(2, date).setParameter(3, order.id).executeUpdate();
        return Optional.of(order.id);
    }

    /**
     * The date of the occurrence due at {@code now}: today (in {@code zone}) when it is one of the days, its time has
     * come, and the standing order existed by then.
     */
    public static Optional<LocalDate> dueOccurrence(Set<DayOfWeek> days, LocalTime timeOfDay, Instant createdAt,
                                                    Instant now, ZoneId zone) {
        LocalDate today = now.atZone(zone).toLocalDate();
        if (!days.contains(today.getDayOfWeek())) {
            return Optional.empty();
        }
        Instant at = today.atTime(timeOfDay).atZone(zone).toInstant();
        if (now.isBefore(at) || at.isBefore(createdAt)) {
            return Optional.empty();
        }
        return Optional.of(today);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

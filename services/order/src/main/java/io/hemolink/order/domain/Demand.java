package io.hemolink.order.domain;

import io.hemolink.common.domain.DomainException;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.order.DemandForecastUpdated;
import io.hemolink.order.config.OrderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A location's per-day demand forecast. A new forecast replaces the location's previous one as a whole (stored and
 * published as {@code DemandForecastUpdated} in one transaction); the inventory shows it as {@code forecastDemand}.
 */
@ApplicationScoped
public class Demand {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    OrderConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public DemandForecastUpdated replace(String locationId, List<DemandForecastUpdated.Day> days, String actor,
                                         Instant now) {
        LocalDate today = now.atZone(config.zone()).toLocalDate();
        LocalDate last = today.plusDays(config.limits().horizon().toDays());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < days.size(); i++) {
            DemandForecastUpdated.Day d = days.get(i);
            if (d.date().isBefore(today)) {
                throw DomainException.invalid("DATE_IN_PAST", d.date() + " is in the past", "days[" + i + "].date");
            }
            if (d.date().isAfter(last)) {
                throw DomainException.invalid("DATE_TOO_FAR", d.date() + " is beyond the forecast horizon",
                        "days[" + i + "].date");
            }
            if (!seen.add(d.date() + "|" + d.component() + "|" + d.abo() + "|" + d.rhd())) {
                throw DomainException.invalid("DAY_DUPLICATE", "the same date, component and group appear twice",
                        "days[" + i + "]");
            }
        }
        em.createNativeQuery("delete from demand_forecast where location_id = ?1").setParameter(1, locationId)
                .executeUpdate();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        for (DemandForecastUpdated.Day d : days) {
            em.createNativeQuery("insert into demand_forecast (location_id, day, component, abo, rhd, quantity, updated_by,"
                            + " updated_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                    .setParameter(1, locationId).setParameter(2, d.date()).setParameter(3, d.component().name())
                    .setParameter(4, d.abo().name()).setParameter(5, d.rhd().name()).setParameter(6, d.quantity())
                    .setParameter(7, actor).setParameter(8, at).executeUpdate();
        }
        List<DemandForecastUpdated.Day> sorted = days.stream()
                .sorted(Comparator.comparing(DemandForecastUpdated.Day::date)
                        .thenComparing(DemandForecastUpdated.Day::component)
                        .thenComparing(DemandForecastUpdated.Day::abo).thenComparing(DemandForecastUpdated.Day::rhd))
                .toList();
        DemandForecastUpdated event = new DemandForecastUpdated(locationId, sorted, actor, now);
        outbox.publish(Events.DEMAND_FORECAST_UPDATED, locationId, "location/" + locationId, event);
        return event;
    }

    /** The stored forecast of a location, from today on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<DemandForecastUpdated.Day> of(String locationId, Instant now) {
        LocalDate today = now.atZone(config.zone()).toLocalDate();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select day, component, abo, rhd, quantity from demand_forecast"
                        + " where location_id = ?1 and day >= ?2 order by day, component, abo, rhd")
                .setParameter(1, locationId).setParameter(2, today).getResultList();
        return rows.stream().map(r -> new DemandForecastUpdated.Day(r[0] instanceof LocalDate ld ? ld : ((java.sql.Date) r[0]).toLocalDate(),
                io.hemolink.contracts.blood.Component.valueOf((String) r[1]),
                io.hemolink.contracts.blood.Abo.valueOf((String) r[2]),
                io.hemolink.contracts.blood.RhD.valueOf((String) r[3]), ((Number) r[4]).intValue())).toList();
    }
}

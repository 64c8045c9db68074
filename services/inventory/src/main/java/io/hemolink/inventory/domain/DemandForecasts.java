package io.hemolink.inventory.domain;

import io.hemolink.contracts.events.order.DemandForecastUpdated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Each location's latest per-day demand forecast, as the order service publishes it: a forecast replaces the
 * location's previous one as a whole, unless it was made before the one already held (a late, reordered event).
 */
@ApplicationScoped
public class DemandForecasts {

    @Inject
    EntityManager em;

    @Inject
    StockPicture picture;

    /** Returns whether the forecast was taken (false: a newer one is already held). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean replace(DemandForecastUpdated forecast) {
        OffsetDateTime made = OffsetDateTime.ofInstant(forecast.at(), ZoneOffset.UTC);
        int taken = em.createNativeQuery("""
                        insert into demand_forecast_made (location_id, made_at) values (?1, ?2)
                        on conflict (location_id) do update set made_at = excluded.made_at
                        where demand_forecast_made.made_at <= excluded.made_at""")
                .setParameter(1, forecast.locationId()).setParameter(2, made).executeUpdate();
        if (taken == 0) {
            return false;
        }
        picture.changed(); // the balance board shows the forecasts
        em.createNativeQuery("delete from demand_forecast where location_id = ?1")
                .setParameter(1, forecast.locationId()).executeUpdate();
        for (DemandForecastUpdated.Day day : forecast.days()) {
            em.createNativeQuery("""
                            insert into demand_forecast (location_id, day, component, abo, rhd, quantity)
                            values (?1, ?2, ?3, ?4, ?5, ?6)
                            on conflict (location_id, day, component, abo, rhd) do update set quantity = excluded.quantity""")
                    .setParameter(1, forecast.locationId()).setParameter(2, day.date())
                    .setParameter(3, day.component().name()).setParameter(4, day.abo().name())
                    .setParameter(5, day.rhd().name()).setParameter(6, day.quantity())
                    .executeUpdate();
        }
        return true;
    }
}

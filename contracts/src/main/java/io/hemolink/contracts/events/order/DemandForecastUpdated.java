package io.hemolink.contracts.events.order;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A location's per-day demand forecast, replacing the previous one. Key: location id. */
public record DemandForecastUpdated(String locationId, List<Day> days, String actor, Instant at) {

    /** Forecast quantity of one component and group on one day. */
    public record Day(LocalDate date, Component component, Abo abo, RhD rhd, int quantity) {
    }
}

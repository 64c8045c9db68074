package io.hemolink.storagepoint.config;

import io.hemolink.contracts.blood.EquipmentKind;
import io.hemolink.contracts.blood.TemperatureRange;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/** {@code hemolink.storage-point.*}: the station's rules for its storage points (domain.md defaults). */
@ConfigMapping(prefix = "hemolink.storage-point")
public interface StoragePointConfig {

    Temperature temperature();

    Ranges ranges();

    Replenishment replenishment();

    Rotation rotation();

    /**
     * The region's hospitals, which may host a point ({@code hostHospitalId}): the station's list, as the order
     * service's location registry has them ({@code HEMOLINK_HOSPITALS}); this service has no registry of its own.
     */
    java.util.Set<String> hospitals();

    /** The station's calendar: days of transfusion history are its days. */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    /** The range a kind of equipment must stay in. */
    default TemperatureRange range(EquipmentKind kind) {
        Range r = switch (kind) {
            case RBC_FRIDGE -> ranges().rbcFridge();
            case PLT_AGITATOR -> ranges().pltAgitator();
            case PLASMA_FREEZER -> ranges().plasmaFreezer();
        };
        if (r.min().isEmpty() && r.max().isEmpty()) {
            return kind.range();
        }
        return new TemperatureRange(r.min().orElse(null), r.max().orElse(null));
    }

    interface Temperature {
        /** Out of range continuously for longer than this is an excursion. */
        @WithDefault("PT30M")
        Duration excursionAfter();

        /** A single reading further than this (°C) outside the range is an excursion at once. */
        @WithDefault("2.0")
        double hardMargin();

        /** No reading for this long is NO_DATA (never "in range"). */
        @WithDefault("PT15M")
        Duration noDataAfter();

        /** How often the NO_DATA check runs ({@code off} disables it). */
        @WithDefault("1m")
        String noDataCheck();

        /** Readings further than this in the future are refused. */
        @WithDefault("PT5M")
        Duration clockSkew();

        /** How far back from a batch's earliest reading its evaluation looks for the start of a run. */
        @WithDefault("PT24H")
        Duration lookback();
    }

    /** Ranges by kind, in °C; an empty range takes the catalogue's (EquipmentKind). */
    interface Ranges {
        Range rbcFridge();

        Range pltAgitator();

        Range plasmaFreezer();
    }

    interface Range {
        Optional<Double> min();

        Optional<Double> max();
    }

    interface Replenishment {
        /** How often every par level is checked besides after each change ({@code off} disables it). */
        @WithDefault("10m")
        String check();

        /**
         * After an order closed a line (received or cancelled), how long the line waits for the received units to
         * show up before it may be requested again.
         */
        @WithDefault("PT10M")
        Duration settle();
    }

    interface Rotation {
        /** Units expiring within this are proposed for transfer. */
        @WithDefault("PT72H")
        Duration window();

        /** Days of transfusion history that say which site uses a group most. */
        @WithDefault("28")
        int historyDays();
    }
}

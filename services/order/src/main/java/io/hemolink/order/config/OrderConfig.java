package io.hemolink.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/** {@code hemolink.order.*}: the station's ordering rules (domain.md defaults in application.properties). */
@ConfigMapping(prefix = "hemolink.order")
public interface OrderConfig {

    /** The station's calendar: delivery runs and standing orders are in this zone. */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    ServiceLevels serviceLevels();

    Limits limits();

    Returns returns();

    StandingOrders standingOrders();

    Admission admission();

    /** Prefix of issue note numbers (出库单号), e.g. CK20261123-000001. */
    @WithDefault("CK")
    String issueNotePrefix();

    interface ServiceLevels {
        /** Delivery deadline of an EMERGENCY order after submission. */
        @WithDefault("PT60M")
        Duration emergency();

        /** Delivery deadline of an URGENT order after submission. */
        @WithDefault("PT4H")
        Duration urgent();

        /** Times of day of the scheduled delivery runs; a ROUTINE order is due at the next one. */
        @WithDefault("09:00,15:00")
        List<LocalTime> routineRuns();

        /** A ROUTINE order must be in this long before a run to go with it. */
        @WithDefault("PT30M")
        Duration routineCutoff();

        /** How often overdue orders are looked for ({@code off} disables it). */
        @WithDefault("30s")
        String check();
    }

    interface Limits {
        /** Largest quantity of one line, by unit of issue (U, ML, DOSE). */
        @WithDefault("50")
        int maxUnits();

        @WithDefault("20000")
        int maxMl();

        @WithDefault("20")
        int maxDoses();

        /** Most lines in one order. */
        @WithDefault("30")
        int maxLines();

        /** How far ahead {@code neededBy} and demand forecasts may reach. */
        @WithDefault("P366D")
        Duration horizon();
    }

    interface Returns {
        /** How long {@code POST /returns} waits for the inventory's decision before answering 202. */
        @WithDefault("PT3S")
        Duration decisionWait();
    }

    interface StandingOrders {
        /** How often due standing orders are placed ({@code off} disables it). */
        @WithDefault("1m")
        String place();
    }

    /**
     * Admission control (ADR 0026): while the oldest order still waiting for its first allocation (SUBMITTED) is older
     * than {@code max-lag}, new ROUTINE orders are refused with 429 and {@code Retry-After}; URGENT and EMERGENCY are
     * always taken.
     */
    interface Admission {
        /** The allocation lag above which ROUTINE orders are refused ({@code 0} never refuses). */
        @WithDefault("PT2M")
        Duration maxLag();

        /** What {@code Retry-After} tells a refused caller. */
        @WithDefault("PT30S")
        Duration retryAfter();

        /**
         * Orders submitted longer ago than this are not counted in the lag: one order stuck for good (e.g. its event
         * sent to the dead-letter topic) must not close the door for ever; it shows in {@code hemolink_allocation_backlog_orders}.
         */
        @WithDefault("PT1H")
        Duration lookBack();

        /** How long one measurement of the lag is used before it is taken again. */
        @WithDefault("PT1S")
        Duration sample();
    }
}

package io.hemolink.inventory.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code hemolink.inventory.*}: the station's supply rules (domain.md defaults in application.properties). */
@ConfigMapping(prefix = "hemolink.inventory")
public interface InventoryConfig {

    /** Days over which average daily issues are taken. */
    @WithDefault("28")
    int issueWindowDays();

    /** Level thresholds in days of supply, per product class. */
    Levels levels();

    Allocation allocation();

    Alerts alerts();

    /** How often bags past their expiry are moved to EXPIRED ({@code off} disables it). */
    @WithDefault("5m")
    String expirySweep();

    /** The station's calendar: days of issue and of alert evaluation are its days. */
    @WithDefault("Asia/Shanghai")
    java.time.ZoneId zone();

    Returns returns();

    Balance balance();

    StockRead stockRead();

    interface StockRead {
        /**
         * The longest one stock picture is served without being read again, whatever happened: bounds how late a
         * change committed through another instance (and not yet seen on the stock-level topic) can show here.
         */
        @WithDefault("5s")
        Duration maxAge();
    }

    DemoHistory demoHistory();

    /**
     * The demo's past (ADR 0033): about four weeks of releases, issues, transfusions, discards and returns recorded
     * through the ledger on an empty ledger at start, so a fresh demo platform has days of supply, levels and
     * wastage. Off unless a demo platform ({@code deploy/local/up.sh}) or the test that covers it turns it on; on a
     * ledger that has any movement it does nothing, so it can never rewrite a real past.
     */
    interface DemoHistory {
        @WithDefault("false")
        boolean enabled();

        /** How many days back the history starts (within the issue window, so every day of it counts). */
        @WithDefault("27")
        int days();

        /** Scales every component's daily demand (1: about 45 bags a day in the region). */
        @WithDefault("1.0")
        double scale();

        /** The hospitals that issue, the first the busiest (it also takes the rare keys). */
        @WithDefault("H001,H002,H003")
        java.util.List<String> hospitals();

        /** The seed of the plan: the same seed, day and clock give the same history. */
        @WithDefault("20261201")
        long seed();
    }

    Irradiation irradiation();

    interface Irradiation {
        /**
         * The longest a bag of each product class may be kept after irradiation (its expiry is shortened to this,
         * never lengthened); a class not named keeps its expiry. Default (application.properties): red cells 14 days
         * (ADR 0023).
         */
        java.util.Map<io.hemolink.contracts.blood.ProductClass, java.time.Duration> expiry();
    }

    interface Balance {
        /** Forecast demand on the balance board: the forecasts of this many days from today. */
        @WithDefault("7")
        int forecastDays();
    }

    interface Returns {
        /** The longest a returned bag may have been out of controlled storage and still go back into stock. */
        @WithDefault("30")
        int maxMinutesOutOfStorage();
    }

    Recruitment recruitment();

    /** Donor recruitment for region shortages (ADR 0038). */
    interface Recruitment {
        /** How far ahead of a request its {@code byDate} is, in whole days (api.md: 7 days). */
        @WithDefault("P7D")
        Duration horizon();

        /** Plasma (ml) a whole-blood donation gives per ml of whole blood (about 100 ml from 200 ml). */
        @WithDefault("0.5")
        double plasmaMlPerWholeBloodMl();

        /** Whole blood (ml) that goes into one dose of pooled platelets (about 10 U of 200 ml). */
        @WithDefault("2000")
        double wholeBloodMlPerPooledDose();
    }

    interface Alerts {
        /** Consecutive days a level below GREEN must hold before it is declared (RED is declared at once). */
        @WithDefault("3")
        int persistenceDays();

        /** When the region's levels are evaluated (cron). */
        @WithDefault("0 5 * * * ?")
        String evaluate();
    }

    interface Allocation {
        /** Least remaining shelf life of an allocated bag, by priority (capped at 20 % of the shelf life). */
        MinRemaining minRemaining();

        /** Shares of ROUTINE lines cut while the group's region alert is at each level (domain.md: 30/50/70 %). */
        Cuts cuts();

        /**
         * How often open lines are allocated further ({@code off} disables it): backorders are also topped up as soon
         * as stock arrives; ROUTINE lines of a group in shortage wait for this round, so they are shared by need.
         */
        @WithDefault("5m")
        String round();

        /**
         * RhD-negative red cells and platelets are kept for RhD-negative patients, except those expiring within this
         * time: they go first to RhD-positive patients of the same ABO whose lines allow substitution, rather than
         * expire (domain.md).
         */
        @WithDefault("PT72H")
        Duration rhdNegativeRelease();

        /**
         * A bag is only allocated if it is still usable this long after its order is due (delivered), so a short-lived
         * bag (washed red cells: 24 h) never reaches the hospital expired or about to expire.
         */
        @WithDefault("PT6H")
        Duration dueMargin();

        /** The allocation lanes (ADR 0025): how many pending orders one transaction allocates, per lane. */
        Lanes lanes();
    }

    interface Lanes {
        /**
         * Pending EMERGENCY and URGENT orders allocated in one transaction of the priority lane. Small: an EMERGENCY
         * order waits for at most the lane's transaction in progress.
         */
        @WithDefault("16")
        int priorityBatch();

        /**
         * Pending ROUTINE orders allocated in one transaction of the routine lane: more orders per commit, but a
         * priority order of the same key waits for the key's lock while a routine transaction holds it.
         */
        @WithDefault("32")
        int routineBatch();

        /** How often the lanes look for pending orders when nothing woke them (after a failure, a missed wake-up). */
        @WithDefault("1s")
        Duration poll();
    }

    interface Cuts {
        @WithDefault("0.3")
        double yellow();

        @WithDefault("0.5")
        double orange();

        @WithDefault("0.7")
        double red();
    }

    interface MinRemaining {
        java.time.Duration routine();

        java.time.Duration urgent();

        java.time.Duration emergency();
    }

    interface Levels {
        Thresholds redCells();

        Thresholds platelets();

        Thresholds plasma();
    }

    /** Below {@code yellow} days is YELLOW, below {@code orange} ORANGE, below {@code red} RED. */
    interface Thresholds {
        double yellow();

        double orange();

        double red();
    }
}

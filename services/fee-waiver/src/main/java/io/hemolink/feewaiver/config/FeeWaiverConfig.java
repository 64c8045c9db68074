package io.hemolink.feewaiver.config;

import io.hemolink.feewaiver.domain.RuleSet;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code hemolink.fee-waiver.*}: the deployment's rule set, every rule set version, the price list, the keys for
 * personal data and the settlement schedule (defaults in application.properties; keys required in %prod).
 */
@ConfigMapping(prefix = "hemolink.fee-waiver")
public interface FeeWaiverConfig {

    /** The rule set this deployment runs (e.g. {@code ZJ-2025}); its region's versions apply by date. */
    String ruleSet();

    /** Every rule set version, by id. */
    Map<String, RuleSetConfig> ruleSets();

    /** Station-side fee in yuan per unit of issue, by component. */
    Map<String, BigDecimal> prices();

    /** Millilitres of blood one unit of issue counts as, by component (volume rule sets). */
    Map<String, BigDecimal> volumeMlPerUnit();

    /** HMAC-SHA256 key for ID-number lookup hashes (at least 32 bytes; shared with the station's donor system). */
    String idHashKey();

    /** AES-256-GCM key for ID numbers and names, Base64 of 32 bytes. */
    String idEncryptionKey();

    /** The station's calendar: claim days, months of settlements. */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    Settlement settlement();

    interface Settlement {
        /** When ended months are closed for every hospital (cron; {@code off} disables it). */
        @WithDefault("0 30 1 * * ?")
        String close();
    }

    interface RuleSetConfig {
        String region();

        LocalDate effectiveFrom();

        Optional<LocalDate> effectiveTo();

        RuleSet.Unit unit();

        Pool self();

        Pool relatives();

        List<String> relativeClasses();

        Optional<Integer> lifetimeThresholdMl();

        @WithDefault("false")
        boolean plateletDonorLifetime();

        @WithDefault("false")
        boolean rhdNegativeLifetime();

        @WithDefault("800")
        int plateletDonationMl();

        Optional<Earn> earn();
    }

    interface Pool {
        BigDecimal multiplier();

        @WithDefault("0")
        int withinYears();

        Optional<BigDecimal> multiplierAfter();
    }

    interface Earn {
        @WithName("whole-blood-per-200-ml")
        BigDecimal wholeBloodPer200Ml();

        @WithName("rhd-negative-per-200-ml")
        BigDecimal rhdNegativePer200Ml();

        BigDecimal plateletDose();
    }
}

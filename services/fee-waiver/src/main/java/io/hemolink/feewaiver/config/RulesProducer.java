package io.hemolink.feewaiver.config;

import io.hemolink.contracts.blood.Component;
import io.hemolink.feewaiver.domain.PersonalData;
import io.hemolink.feewaiver.domain.PriceList;
import io.hemolink.feewaiver.domain.Relation;
import io.hemolink.feewaiver.domain.RuleBook;
import io.hemolink.feewaiver.domain.RuleSet;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rule sets, prices and personal-data keys as configured; a wrong configuration stops the start. */
public class RulesProducer {

    @Produces
    @Singleton
    RuleBook ruleBook(FeeWaiverConfig config) {
        List<RuleSet> sets = new ArrayList<>();
        config.ruleSets().forEach((id, c) -> sets.add(ruleSet(id, c)));
        return new RuleBook(sets, config.ruleSet(), new PriceList(byComponent(config.prices(), "prices"),
                byComponent(config.volumeMlPerUnit(), "volume-ml-per-unit")));
    }

    @Produces
    @Singleton
    PersonalData personalData(FeeWaiverConfig config) {
        return new PersonalData(config.idHashKey(), config.idEncryptionKey());
    }

    static RuleSet ruleSet(String id, FeeWaiverConfig.RuleSetConfig c) {
        Set<Relation> classes = EnumSet.noneOf(Relation.class);
        for (String r : c.relativeClasses()) {
            classes.add(Relation.valueOf(r.strip()));
        }
        RuleSet.Earn earn = c.earn().map(e -> new RuleSet.Earn(e.wholeBloodPer200Ml(), e.rhdNegativePer200Ml(),
                e.plateletDose())).orElse(null);
        return new RuleSet(id, c.region(), c.effectiveFrom(), c.effectiveTo().orElse(null), c.unit(), pool(c.self()),
                pool(c.relatives()), classes, c.lifetimeThresholdMl().orElse(null), c.plateletDonorLifetime(),
                c.rhdNegativeLifetime(), c.plateletDonationMl(), earn);
    }

    private static RuleSet.Pool pool(FeeWaiverConfig.Pool p) {
        return new RuleSet.Pool(p.multiplier(), p.withinYears(), p.multiplierAfter().orElse(null));
    }

    private static Map<Component, BigDecimal> byComponent(Map<String, BigDecimal> values, String name) {
        Map<Component, BigDecimal> out = new EnumMap<>(Component.class);
        values.forEach((k, v) -> {
            try {
                out.put(Component.valueOf(k), v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hemolink.fee-waiver." + name + "." + k + ": no such component");
            }
        });
        return out;
    }
}

package io.hemolink.feewaiver.config;

import io.hemolink.feewaiver.domain.PersonalData;
import io.hemolink.feewaiver.domain.RuleBook;

/** Opens the producer's wiring of configuration to rules for plain unit tests. */
public final class RulesProducerAccess {

    private RulesProducerAccess() {
    }

    public static RuleBook ruleBook(FeeWaiverConfig config) {
        return new RulesProducer().ruleBook(config);
    }

    public static PersonalData personalData(FeeWaiverConfig config) {
        return new RulesProducer().personalData(config);
    }
}

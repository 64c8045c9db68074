package io.hemolink.feewaiver.domain;

import io.hemolink.feewaiver.config.FeeWaiverConfig;
import io.hemolink.feewaiver.config.RulesProducerAccess;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;

/** The rule sets exactly as application.properties configures them, read without Quarkus. */
final class ConfiguredRules {

    private ConfiguredRules() {
    }

    static RuleBook book(String selected) {
        return RulesProducerAccess.ruleBook(config(Map.of("hemolink.fee-waiver.rule-set", selected)));
    }

    static FeeWaiverConfig config(Map<String, String> overrides) {
        URL url = ConfiguredRules.class.getClassLoader().getResource("application.properties");
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .addDiscoveredConverters()
                    .withProfile("test")
                    .withSources(new PropertiesConfigSource(url, 250))
                    .withSources(new io.smallrye.config.PropertiesConfigSource(overrides, "overrides", 400))
                    .withMapping(FeeWaiverConfig.class)
                    .build();
            return config.getConfigMapping(FeeWaiverConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

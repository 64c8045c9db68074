package io.hemolink.feewaiver.domain;

import io.hemolink.feewaiver.config.FeeWaiverConfig;
import io.hemolink.feewaiver.config.RulesProducerAccess;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The personal-data keys have no default in production: without them the configuration does not load. */
class ProductionKeysTest {

    @Test
    void productionWithoutKeysDoesNotStart() {
        assertThrows(RuntimeException.class, () -> prod(Map.of()));
    }

    @Test
    void productionWithKeysFromTheEnvironmentStarts() throws Exception {
        FeeWaiverConfig config = prod(Map.of("HEMOLINK_FEE_WAIVER_ID_HASH_KEY", "a-production-hash-key-of-32-bytes-or-more",
                "HEMOLINK_FEE_WAIVER_ID_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])));
        PersonalData data = RulesProducerAccess.personalData(config);
        assertEquals(64, data.hash("11010519491231002X").length());
    }

    private static FeeWaiverConfig prod(Map<String, String> environment) throws Exception {
        java.net.URL url = ProductionKeysTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(url, 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withMapping(FeeWaiverConfig.class)
                .build()
                .getConfigMapping(FeeWaiverConfig.class);
    }
}

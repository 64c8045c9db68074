package io.hemolink.notification.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Production's defaults: no key, no start; no host allowed and no loopback unless the station configures them. */
class ProductionConfigTest {

    @Test
    void productionWithoutTheSecretKeyDoesNotStart() {
        assertThrows(RuntimeException.class, () -> prod(Map.of()));
    }

    @Test
    void productionAllowsNoHostAndNoLoopbackByDefault() throws Exception {
        NotificationConfig config = prod(Map.of("HEMOLINK_NOTIFICATION_SECRET_KEY",
                Base64.getEncoder().encodeToString(new byte[32])));
        assertTrue(config.allowedHosts().orElse(List.of()).isEmpty());
        assertFalse(config.allowLoopback());
        assertTrue(config.retryFor().compareTo(Duration.ofHours(24)) >= 0, "retried for at least 24 h");
        assertEquals(Duration.ofSeconds(10), config.timeout());
        assertEquals(Duration.ofDays(30), config.retention());
    }

    @Test
    void theStationListsItsHosts() throws Exception {
        NotificationConfig config = prod(Map.of("HEMOLINK_NOTIFICATION_SECRET_KEY",
                Base64.getEncoder().encodeToString(new byte[32]),
                "HEMOLINK_NOTIFICATION_ALLOWED_HOSTS", "his.h001.example,*.h002.example"));
        assertEquals(List.of("his.h001.example", "*.h002.example"), config.allowedHosts().orElseThrow());
    }

    private static NotificationConfig prod(Map<String, String> environment) throws Exception {
        java.net.URL url = ProductionConfigTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(url, 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withMapping(NotificationConfig.class)
                .build()
                .getConfigMapping(NotificationConfig.class);
    }
}

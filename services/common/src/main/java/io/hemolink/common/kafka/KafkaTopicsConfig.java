package io.hemolink.common.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code hemolink.kafka.*}: topic creation on start-up (local runs and tests; production uses managed topics). */
@ConfigMapping(prefix = "hemolink.kafka")
public interface KafkaTopicsConfig {

    @WithDefault("true")
    boolean createTopics();

    @WithDefault("3")
    int partitions();

    @WithDefault("1")
    short replicationFactor();
}

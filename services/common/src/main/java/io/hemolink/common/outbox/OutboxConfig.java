package io.hemolink.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code hemolink.outbox.*}: how the relay publishes the outbox to Kafka. */
@ConfigMapping(prefix = "hemolink.outbox")
public interface OutboxConfig {

    /** Run the relay in this process. Off only where another process relays (or in a test that simulates a crash). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Publish right after each commit; polling is the safety net. */
    @WithDefault("true")
    boolean publishAfterCommit();

    /** How often the safety-net poll looks for unsent events. */
    @WithDefault("1s")
    Duration pollInterval();

    @WithDefault("200")
    int batchSize();

    /** How long a send may wait for the broker's acknowledgement before the batch is retried. */
    @WithDefault("10s")
    Duration sendTimeout();
}

package io.hemolink.common.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code hemolink.consumers.*}: how a consumer retries an event that failed for a reason that may pass (database,
 * lock, broker): the first pause, doubled after every failed attempt up to the cap, for as long as it takes.
 */
@ConfigMapping(prefix = "hemolink.consumers")
public interface ConsumersConfig {

    /** The pause after the first failed attempt. */
    @WithDefault("100ms")
    Duration initialBackoff();

    /** The longest pause between two attempts. */
    @WithDefault("10s")
    Duration maxBackoff();

    /**
     * The most records a batch channel ({@code batch=true}, {@link Consumers#processBatch}) takes in one poll, and so in
     * one transaction: its {@code max.poll.records} is {@code ${hemolink.consumers.batch-size:200}}.
     */
    @WithDefault("200")
    int batchSize();
}

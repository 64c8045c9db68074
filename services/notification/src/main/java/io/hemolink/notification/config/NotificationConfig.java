package io.hemolink.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code hemolink.notification.*}: which webhook targets are allowed, the key the subscriptions' secrets are sealed
 * with, and how deliveries are sent and retried (defaults in application.properties; the key is required in %prod).
 */
@ConfigMapping(prefix = "hemolink.notification")
public interface NotificationConfig {

    /**
     * The hosts a subscription's URL may name: exact names or addresses, {@code *.example.org} for any name under
     * a domain, or {@code *} for any host. None configured: every URL is refused. Whatever the list, link-local,
     * cloud metadata and unspecified addresses are refused, and loopback and private ones unless
     * {@link #allowLoopback()}.
     */
    Optional<List<String>> allowedHosts();

    /** Loopback and private-range targets allowed (the local demo and tests only; false in production). */
    @WithDefault("false")
    boolean allowLoopback();

    /** AES-256-GCM key the subscriptions' secrets are sealed with: Base64 of 32 bytes. */
    String secretKey();

    /** How long a delivery is retried before it is given up (FAILED); at least 24 h in production. */
    @WithDefault("25h")
    Duration retryFor();

    Retry retry();

    /** One attempt's time limit: connecting, sending and the receiver's answer. */
    @WithDefault("10s")
    Duration timeout();

    /** Deliveries in flight at once in this instance (bounded concurrency of the HTTP client). */
    @WithDefault("32")
    int maxInFlight();

    /** How often the worker looks for due deliveries when nothing woke it (a consumer's commit wakes it at once). */
    @WithDefault("1s")
    Duration poll();

    /** How long a claimed delivery is this instance's (longer than {@link #timeout()}); another instance takes it after. */
    @WithDefault("60s")
    Duration lease();

    /** Finished deliveries (DELIVERED or FAILED) are kept this long in the log, then deleted. */
    @WithDefault("P30D")
    Duration retention();

    /** Subscriptions one location may have at once (each event is sent once per subscription: a bound on fan-out). */
    @WithDefault("20")
    int maxPerLocation();

    /** Whether this instance sends deliveries (off only in tests that look at the rows themselves). */
    @WithDefault("true")
    boolean workerEnabled();

    interface Retry {
        /** The first pause after a failed attempt; it doubles with every failure. */
        @WithDefault("5s")
        Duration initial();

        /** The longest pause between two attempts. */
        @WithDefault("1h")
        Duration maxStep();
    }
}

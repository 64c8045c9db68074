package io.hemolink.common.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of this service's consumers: DOWN while any channel cannot make progress (an event waits for its retry),
 * naming each such channel with its last error, the number of failed attempts and since when; UP again as soon as
 * the event goes through.
 */
@Readiness
@ApplicationScoped
public class ConsumersHealthCheck implements HealthCheck {

    public static final String NAME = "Kafka consumers making progress";

    @Inject
    Consumers consumers;

    @Override
    public HealthCheckResponse call() {
        var stalls = consumers.stalls();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(stalls.isEmpty());
        stalls.forEach((channel, stall) -> response.withData(channel, stall.describe()));
        return response.build();
    }
}

package io.hemolink.inventory.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the allocation lanes (ADR 0025), as common's consumers report theirs: DOWN while a lane's transactions
 * fail (its orders stay pending and are retried), naming the lane with since when, how many attempts and the last
 * error; UP again with the lane's first transaction that commits.
 */
@Readiness
@ApplicationScoped
public class AllocationLanesHealth implements HealthCheck {

    public static final String NAME = "allocation lanes making progress";

    @Inject
    AllocationLanes lanes;

    @Override
    public HealthCheckResponse call() {
        var stalls = lanes.stalls();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(stalls.isEmpty());
        stalls.forEach((lane, stall) -> response.withData(lane.name(), stall.describe()));
        return response.build();
    }
}

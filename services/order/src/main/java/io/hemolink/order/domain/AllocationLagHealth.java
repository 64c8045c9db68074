package io.hemolink.order.domain;

import io.hemolink.order.config.OrderConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data {@code allocation-lag}: the lag, the waiting orders, the bound and whether ROUTINE orders are being
 * taken. Always UP (ADR 0026): a backlog is a reason to refuse ROUTINE orders, never to take the instance out of
 * service, which would refuse EMERGENCY orders too.
 */
@Readiness
@ApplicationScoped
public class AllocationLagHealth implements HealthCheck {

    @Inject
    AllocationLag lag;

    @Inject
    OrderConfig config;

    @Override
    public HealthCheckResponse call() {
        AllocationLag.Reading r = lag.last(); // the scheduler's latest: no query on the probe's thread
        HealthCheckResponseBuilder b = HealthCheckResponse.named("allocation-lag").up()
                .withData("maxLagSeconds", config.admission().maxLag().toSeconds());
        if (r == null) {
            return b.withData("lagSeconds", "not measured yet").build();
        }
        boolean open = config.admission().maxLag().isZero() || r.lag().compareTo(config.admission().maxLag()) <= 0;
        return b.withData("lagSeconds", r.lag().toSeconds()).withData("waitingOrders", r.waiting())
                .withData("routineOrders", open ? "ACCEPTED" : "REFUSED").withData("measuredAt", r.at().toString())
                .build();
    }
}

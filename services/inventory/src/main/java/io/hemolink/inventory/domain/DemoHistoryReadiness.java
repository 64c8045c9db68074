package io.hemolink.inventory.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness while the demo history is recorded (ADR 0033): DOWN until {@link DemoHistory} has recorded it, found the
 * ledger with a past, or failed; always UP where the history is off (everywhere but a demo platform).
 */
@Readiness
@ApplicationScoped
public class DemoHistoryReadiness implements HealthCheck {

    public static final String NAME = "demo history recorded";

    @Inject
    DemoHistory history;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(history.settled()).build();
    }
}

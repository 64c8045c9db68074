package io.hemolink.order.api;

import io.hemolink.common.problem.ApiException;
import io.hemolink.common.security.Caller;
import io.hemolink.order.domain.AllocationLag;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.Orders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;

/**
 * Placing an order as {@code POST /orders} and the FHIR facade's SupplyRequest create both do: admission control
 * first (ADR 0026: while allocation is behind, a ROUTINE order is 429 {@code ALLOCATION_BACKLOG} with Retry-After),
 * then {@link Orders#submit}. Called inside the idempotent call, so a replay of an order already taken answers as
 * before and a refusal stores nothing.
 */
@ApplicationScoped
public class OrderPlacement {

    @Inject
    Orders orders;

    @Inject
    AllocationLag allocationLag;

    @Inject
    Caller caller;

    public BloodOrder place(Orders.Submission submission) {
        allocationLag.admit(submission.priority(), Instant.now()).ifPresent(refusal -> {
            throw ApiException.tooManyRequests("ALLOCATION_BACKLOG", refusal.detail(), refusal.retryAfter().toSeconds());
        });
        return orders.submit(submission, caller.actor(), Instant.now());
    }
}

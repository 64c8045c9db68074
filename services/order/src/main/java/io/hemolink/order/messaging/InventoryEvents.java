package io.hemolink.order.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.Events;
import io.hemolink.order.domain.Orders;
import io.hemolink.order.domain.Returns;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * The inventory's answers as the order service acts on them: an allocation (made or released) drives the order's
 * status and its bags, a return decision completes the return. Each event has its effect once (the processed-event
 * log shares the transaction); unreadable events go to the dead-letter topic; other event types on the topic are
 * not ours and are skipped.
 */
@ApplicationScoped
public class InventoryEvents {

    static final String CONSUMER = "order-allocations";

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    Orders orders;

    @Inject
    Returns returns;

    @Inject
    ObjectMapper mapper;

    /** A whole poll in one transaction (ADR 0041); a poison event is dead-lettered alone. */
    @Incoming("allocations")
    @Blocking(ordered = true)
    public CompletionStage<Void> on(KafkaRecordBatch<String, String> batch) {
        return consumers.processBatch("allocations", batch, this::apply);
    }

    private void apply(InboundEvent event) {
        processed.once(CONSUMER, event, Events.ALLOCATION_MADE, mapper, orders::allocationMade);
        processed.once(CONSUMER, event, Events.ALLOCATION_RELEASED, mapper, orders::allocationReleased);
        processed.once(CONSUMER, event, Events.RETURN_DECIDED, mapper, returns::decided);
    }
}

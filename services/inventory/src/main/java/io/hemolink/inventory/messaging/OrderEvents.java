package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.order.OrderCancelled;
import io.hemolink.inventory.domain.Allocator;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The order service's events as the inventory acts on them: a submitted order is allocated, a cancelled one gives
 * its reservations back. Each event has its effect once (the processed-event log shares the transaction).
 */
@ApplicationScoped
public class OrderEvents {

    static final String CONSUMER = "inventory-orders";

    @Inject
    Allocator allocator;

    @Inject
    ProcessedEvents processed;

    @Inject
    ObjectMapper mapper;

    @Incoming("orders")
    @Blocking(ordered = true)
    @Transactional
    public void on(ConsumerRecord<String, String> record) {
        InboundEvent event = InboundEvent.of(record);
        if (event.is(Events.ORDER_SUBMITTED)) {
            var order = event.payload(Events.ORDER_SUBMITTED, mapper);
            if (processed.firstTime(CONSUMER, event.id())) {
                allocator.allocate(order);
            }
        } else if (event.is(Events.ORDER_CANCELLED)) {
            OrderCancelled cancelled = event.payload(Events.ORDER_CANCELLED, mapper);
            if (processed.firstTime(CONSUMER, event.id())) {
                allocator.release(cancelled.orderId(), "order cancelled", cancelled.actor() == null ? "system" : cancelled.actor());
            }
        }
        // other order events (dispatch, receipt, returns) are the inventory issue's next steps
    }
}

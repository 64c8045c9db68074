package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.Events;
import io.hemolink.inventory.domain.Allocator;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * The order service's events as the inventory acts on them: a submitted (or amended) order is recorded for its
 * allocation lane, a cancelled one gives
 * its reservations back, dispatch, receipt and returns move the bags; a dispatched or cancelled order leaves the
 * queue of open demand. Each event has its effect once (the processed-event log shares the transaction).
 */
@ApplicationScoped
public class OrderEvents {

    static final String CONSUMER = "inventory-orders";

    @Inject
    Consumers consumers;

    @Inject
    Allocator allocator;

    @Inject
    ProcessedEvents processed;

    @Inject
    io.hemolink.inventory.domain.Deliveries deliveries;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    io.hemolink.inventory.domain.AllocationLanes lanes;

    @Inject
    io.hemolink.common.tx.AfterCommit afterCommit;

    @Inject
    io.hemolink.inventory.domain.DemandForecasts forecasts;

    /** A whole poll in one transaction (ADR 0041); a poison event is dead-lettered alone. */
    @Incoming("orders")
    @Blocking(ordered = true)
    public CompletionStage<Void> on(KafkaRecordBatch<String, String> batch) {
        return consumers.processBatch("orders", batch, this::apply);
    }

    private void apply(InboundEvent event) {
        long received = System.nanoTime();
        // a submitted order is recorded as pending and allocated by its lane after this commit (ADR 0025), so this
        // partition never waits for allocations and an EMERGENCY order never waits behind ROUTINE ones
        processed.once(CONSUMER, event, Events.ORDER_SUBMITTED, mapper, order -> {
            if (allocator.record(order)) {
                lanes.received(order.orderId(), order.priority(), received);
                afterCommit.collect("allocation-lanes", Allocator.Lane.of(order.priority()), lanes::wake);
            }
        });
        // an amended order is allocated again by its lane, keeping the bags that still fit (ADR 0034)
        processed.once(CONSUMER, event, Events.ORDER_AMENDED, mapper, amended -> {
            if (allocator.amend(amended)) {
                lanes.received(amended.orderId(), amended.priority(), received);
                afterCommit.collect("allocation-lanes", Allocator.Lane.of(amended.priority()), lanes::wake);
            }
        });
        processed.once(CONSUMER, event, Events.ORDER_CANCELLED, mapper, c -> {
            allocator.close(c.orderId(), "CANCELLED");
            allocator.release(c.orderId(), "order cancelled", c.actor() == null ? "system" : c.actor());
        });
        processed.once(CONSUMER, event, Events.ORDER_DISPATCHED, mapper, d -> {
            allocator.close(d.orderId(), "DISPATCHED");
            deliveries.dispatched(d);
            // what was reserved but not sent goes back to stock (and so to the next backorder in the queue)
            allocator.release(d.orderId(), "not dispatched with order " + d.orderId(), d.actor());
        });
        processed.once(CONSUMER, event, Events.ORDER_RECEIVED, mapper, deliveries::received);
        processed.once(CONSUMER, event, Events.RETURN_REQUESTED, mapper, deliveries::returned);
        // service-level breaches need nothing from the inventory
    }

    @Incoming("demand")
    @Blocking(ordered = true)
    public void onDemand(ConsumerRecord<String, String> record) {
        consumers.process("demand", record,
                event -> processed.once(CONSUMER, event, Events.DEMAND_FORECAST_UPDATED, mapper, forecasts::replace));
    }
}

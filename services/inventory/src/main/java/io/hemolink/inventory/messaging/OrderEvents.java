package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.Events;
import io.hemolink.inventory.domain.Allocator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The order service's events as the inventory acts on them: a submitted order is allocated, a cancelled one gives
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

    private Timer allocationTime;

    @jakarta.annotation.PostConstruct
    void metrics() {
        // the allocation of one submitted order inside its transaction (not the commit or the publication)
        allocationTime = Timer.builder("hemolink.allocation")
                .description("Time to allocate one submitted order")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    @Inject
    io.hemolink.inventory.domain.DemandForecasts forecasts;

    @Incoming("orders")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        consumers.process("orders", record, this::apply);
    }

    private void apply(InboundEvent event) {
        processed.once(CONSUMER, event, Events.ORDER_SUBMITTED, mapper,
                order -> allocationTime.record(() -> allocator.allocate(order)));
        processed.once(CONSUMER, event, Events.ORDER_CANCELLED, mapper, c -> {
            allocator.close(c.orderId());
            allocator.release(c.orderId(), "order cancelled", c.actor() == null ? "system" : c.actor());
        });
        processed.once(CONSUMER, event, Events.ORDER_DISPATCHED, mapper, d -> {
            allocator.close(d.orderId());
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

package io.hemolink.storagepoint.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.Events;
import io.hemolink.storagepoint.domain.PointStock;
import io.hemolink.storagepoint.domain.Replenishment;
import io.hemolink.storagepoint.domain.SensorReadings;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/**
 * What the storage-point service reads from Kafka, each event applied once (the processed-event log shares the
 * transaction; unreadable events go to the dead-letter topic): the inventory's unit movements (the picture of the
 * units at the points, and transfusion history), the order lifecycle (received or cancelled replenishment orders
 * close their request) and the sensor gateways' temperature readings.
 */
@ApplicationScoped
public class InboundEvents {

    static final String CONSUMER = "storage-point";

    @Inject
    ProcessedEvents processed;

    @Inject
    ObjectMapper mapper;

    @Inject
    PointStock stock;

    @Inject
    Replenishment replenishment;

    @Inject
    SensorReadings sensors;

    @Incoming("units")
    @Blocking(ordered = true)
    @Transactional
    public void onUnit(ConsumerRecord<String, String> record) {
        processed.once(CONSUMER, InboundEvent.of(record), Events.UNIT_MOVED, mapper, stock::apply);
    }

    @Incoming("orders")
    @Blocking(ordered = true)
    @Transactional
    public void onOrder(ConsumerRecord<String, String> record) {
        InboundEvent event = InboundEvent.of(record);
        processed.once(CONSUMER, event, Events.ORDER_RECEIVED, mapper, r -> closed(r.orderId(), "RECEIVED"));
        processed.once(CONSUMER, event, Events.ORDER_CANCELLED, mapper, c -> closed(c.orderId(), "CANCELLED"));
    }

    @Incoming("readings")
    @Blocking(ordered = true)
    @Transactional
    public void onReadings(ConsumerRecord<String, String> record) {
        processed.once(CONSUMER, InboundEvent.of(record), Events.TEMPERATURE_READINGS, mapper,
                batch -> sensors.fromGateway(batch, Instant.now()));
    }

    private void closed(String orderId, String reason) {
        Instant now = Instant.now();
        replenishment.orderClosed(orderId, reason, now).ifPresent(point -> replenishment.evaluate(point, now));
    }
}

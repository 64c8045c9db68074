package io.hemolink.storagepoint.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.contracts.events.Events;
import io.hemolink.storagepoint.domain.PointStock;
import io.hemolink.storagepoint.domain.Replenishment;
import io.hemolink.storagepoint.domain.SensorReadings;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What the storage-point service reads from Kafka, each event applied once (the processed-event log shares the
 * transaction; {@code Consumers} retries a failure that may pass and dead-letters only what can never be processed):
 * the inventory's unit movements (the picture of the units at the points, and transfusion history), the order
 * lifecycle (received or cancelled replenishment orders close their request) and the sensor gateways' temperature
 * readings. What it has no use for is skipped before any transaction: order events other than received and
 * cancelled (by their type header), and unit movements that neither touch a storage point nor are a transfusion
 * ({@link UnitMovedFilter}, from three fields of the raw payload), which are most of the topic.
 */
@ApplicationScoped
public class InboundEvents {

    static final String CONSUMER = "storage-point";

    @Inject
    Consumers consumers;

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
    public void onUnit(ConsumerRecord<String, String> record) {
        if (Events.UNIT_MOVED.ceType().equals(type(record)) && !UnitMovedFilter.concernsStoragePoints(record.value())) {
            return; // a movement between the station and hospitals: nothing here changes, no transaction is opened
        }
        consumers.process("units", record, event -> processed.once(CONSUMER, event, Events.UNIT_MOVED, mapper, stock::apply));
    }

    @Incoming("orders")
    @Blocking(ordered = true)
    public void onOrder(ConsumerRecord<String, String> record) {
        String type = type(record);
        if (type != null && !Events.ORDER_RECEIVED.ceType().equals(type) && !Events.ORDER_CANCELLED.ceType().equals(type)) {
            return; // the rest of an order's life (submitted, dispatched...) closes no replenishment request
        }
        consumers.process("orders", record, this::order);
    }

    @Incoming("readings")
    @Blocking(ordered = true)
    public void onReadings(ConsumerRecord<String, String> record) {
        consumers.process("readings", record, event -> processed.once(CONSUMER, event, Events.TEMPERATURE_READINGS,
                mapper, batch -> sensors.fromGateway(batch, Instant.now())));
    }

    /** The record's CloudEvents type from its header, before anything is deserialised (null when it has none). */
    private static String type(ConsumerRecord<String, String> record) {
        Header h = record.headers().lastHeader(CloudEventHeaders.TYPE);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void order(InboundEvent event) {
        processed.once(CONSUMER, event, Events.ORDER_RECEIVED, mapper, r -> closed(r.orderId(), "RECEIVED"));
        processed.once(CONSUMER, event, Events.ORDER_CANCELLED, mapper, c -> closed(c.orderId(), "CANCELLED"));
    }

    private void closed(String orderId, String reason) {
        Instant now = Instant.now();
        replenishment.orderClosed(orderId, reason, now).ifPresent(point -> replenishment.evaluate(point, now));
    }
}

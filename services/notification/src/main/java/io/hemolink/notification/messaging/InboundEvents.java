package io.hemolink.notification.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.events.Events;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;

/**
 * The four topics whose events subscribers receive, each event applied once ({@code ProcessedEvents} shares the
 * fan-out's transaction, so a redelivered event makes no second delivery; {@code Consumers} retries what may pass
 * and dead-letters only what can never be processed). Events of other types are skipped by their type header before
 * any transaction (most of the units topic is UnitMoved; the status topic carries only OrderStatusChanged).
 */
@ApplicationScoped
public class InboundEvents {

    static final String CONSUMER = "notification";

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    ObjectMapper mapper;

    @Inject
    WebhookEvents webhooks;

    @Incoming("orders")
    @Blocking(ordered = true)
    public void onOrder(ConsumerRecord<String, String> record) {
        if (skipped(record)) {
            return;
        }
        consumers.process("orders", record, event -> processed.once(CONSUMER, event, Events.ORDER_STATUS_CHANGED,
                mapper, changed -> webhooks.orderStatus(event, changed)));
    }

    @Incoming("alerts")
    @Blocking(ordered = true)
    public void onAlert(ConsumerRecord<String, String> record) {
        if (skipped(record)) {
            return;
        }
        consumers.process("alerts", record, event -> {
            processed.once(CONSUMER, event, Events.SUPPLY_ALERT_RAISED, mapper, raised -> webhooks.alertRaised(event, raised));
            processed.once(CONSUMER, event, Events.SUPPLY_ALERT_CLEARED, mapper,
                    cleared -> webhooks.alertCleared(event, cleared));
            processed.once(CONSUMER, event, Events.RECRUITMENT_REQUESTED, mapper, requested -> webhooks.recruitment(event));
        });
    }

    @Incoming("units")
    @Blocking(ordered = true)
    public void onUnit(ConsumerRecord<String, String> record) {
        if (skipped(record)) {
            return;
        }
        consumers.process("units", record, event -> processed.once(CONSUMER, event, Events.RECALL_ISSUED, mapper,
                recall -> webhooks.recall(event, recall)));
    }

    @Incoming("stock-levels")
    @Blocking(ordered = true)
    public void onStockLevel(ConsumerRecord<String, String> record) {
        if (skipped(record)) {
            return;
        }
        consumers.process("stock-levels", record, event -> processed.once(CONSUMER, event, Events.STOCK_LEVEL_CHANGED,
                mapper, level -> webhooks.stockLevel(event, level)));
    }

    /**
     * An event of a type no subscriber receives: nothing to do, no transaction. One without a type header goes on
     * to {@code Consumers}, which dead-letters it as unreadable.
     */
    private static boolean skipped(ConsumerRecord<String, String> record) {
        Header h = record.headers().lastHeader(CloudEventHeaders.TYPE);
        String type = h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        return type != null && !WebhookEvents.delivered(type);
    }
}

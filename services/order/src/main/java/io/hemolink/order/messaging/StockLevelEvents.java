package io.hemolink.order.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.events.Events;
import io.hemolink.order.domain.HospitalStock;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/**
 * The inventory's stock levels (compacted topic, key location|component|abo|rhd), kept per hospital for its
 * suggested orders and automatic orders; the station's own levels are skipped. A level older than the one kept
 * changes nothing, so redelivered and reordered events are harmless.
 */
@ApplicationScoped
public class StockLevelEvents {

    static final String CONSUMER = "order-hospital-stock";

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    HospitalStock stock;

    @Inject
    ObjectMapper mapper;

    @Incoming("stock-levels")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        if (record.key() != null && record.key().startsWith("STATION|")) {
            return; // the station's own stock is not a hospital's: nothing to read
        }
        consumers.process("stock-levels", record, event -> processed.once(CONSUMER, event, Events.STOCK_LEVEL_CHANGED,
                mapper, level -> stock.levelChanged(level, Instant.now())));
    }
}

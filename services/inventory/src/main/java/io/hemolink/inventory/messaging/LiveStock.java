package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.common.kafka.PoisonEventException;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Fans stock-level changes out to SSE subscribers of this instance. Every instance reads the compacted stock-level
 * topic with a group of its own, so a subscriber sees changes committed through any instance; the outbox relay
 * publishes right after commit, which keeps the delay from commit to subscriber in the tens of milliseconds.
 */
@ApplicationScoped
public class LiveStock {

    private static final Logger LOG = Logger.getLogger(LiveStock.class);

    private final BroadcastProcessor<StockLevelChanged> changes = BroadcastProcessor.create();

    @Inject
    ObjectMapper mapper;

    @Incoming("stock-live")
    public void onLevel(ConsumerRecord<String, String> record) {
        try {
            InboundEvent event = InboundEvent.of(record);
            if (event.is(Events.STOCK_LEVEL_CHANGED)) {
                changes.onNext(event.payload(Events.STOCK_LEVEL_CHANGED, mapper));
            }
        } catch (PoisonEventException e) {
            LOG.warnf("unreadable stock level on %s: %s", record.topic(), e.getMessage());
        }
    }

    /** Changes from now on (hot: a new subscriber gets the current picture from GET /stock first). */
    public Multi<StockLevelChanged> changes() {
        return changes;
    }
}

package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Fans stock-level changes out to SSE subscribers of this instance. Every instance reads the compacted stock-level
 * topic with a group of its own, so a subscriber sees changes committed through any instance; the outbox relay
 * publishes right after commit, which keeps the delay from commit to subscriber in the tens of milliseconds. An
 * unreadable level is dropped (the channel's failure strategy is {@code ignore}: the next change of the key corrects
 * the picture).
 */
@ApplicationScoped
public class LiveStock {

    private final BroadcastProcessor<StockLevelChanged> changes = BroadcastProcessor.create();

    @Inject
    Consumers consumers;

    @Inject
    ObjectMapper mapper;

    @Inject
    io.hemolink.inventory.domain.StockPicture picture;

    @Incoming("stock-live")
    @Blocking(ordered = true)
    public void onLevel(ConsumerRecord<String, String> record) {
        consumers.processWithoutTransaction("stock-live", record, event -> {
            if (event.is(Events.STOCK_LEVEL_CHANGED)) {
                picture.changed(); // a level changed, maybe through another instance: the stock picture is read again
                changes.onNext(event.payload(Events.STOCK_LEVEL_CHANGED, mapper));
            }
        });
    }

    /** Changes from now on (hot: a new subscriber gets the current picture from GET /stock first). */
    public Multi<StockLevelChanged> changes() {
        return changes;
    }
}

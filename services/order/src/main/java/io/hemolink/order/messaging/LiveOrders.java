package io.hemolink.order.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.events.Events;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;

/**
 * Fans orders' status moves ({@code OrderStatusChanged}) out to the SSE subscribers of this instance
 * ({@code GET /orders/stream}). Every instance reads the order topic with a group of its own from the latest offset,
 * so a subscriber sees moves committed through any instance, tens of milliseconds after their commit. An unreadable
 * event is dropped (failure strategy {@code ignore}): {@code GET /orders} always has the whole list, and the stream
 * is a hint to read it, never the record.
 */
@ApplicationScoped
public class LiveOrders {

    /** A move as the stream shows it. */
    public record StatusMove(String id, String locationId, OrderStatus status, OrderStatus previous, Priority priority,
                             int revision, String detail, Instant at) {
    }

    private final BroadcastProcessor<StatusMove> moves = BroadcastProcessor.create();

    @Inject
    Consumers consumers;

    @Inject
    ObjectMapper mapper;

    @Incoming("orders-live")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        consumers.processWithoutTransaction("orders-live", record, event -> {
            if (event.is(Events.ORDER_STATUS_CHANGED)) {
                var m = event.payload(Events.ORDER_STATUS_CHANGED, mapper);
                moves.onNext(new StatusMove(m.orderId(), m.locationId(), m.status(), m.previous(), m.priority(),
                        m.revision(), m.detail(), m.at()));
            }
        });
    }

    /** Moves from now on (hot: a new subscriber reads {@code GET /orders} first). */
    public Multi<StatusMove> moves() {
        return moves;
    }
}

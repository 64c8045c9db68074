package io.hemolink.order.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.domain.DomainException;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.ReplenishmentRequested;
import io.hemolink.order.domain.BloodOrder;
import io.hemolink.order.domain.Orders;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Replenishment requests of storage points that fell below a par level: each becomes a ROUTINE order for the point
 * under the request's id, so a repeated request (or a redelivered event) places nothing twice. A request the order
 * rules refuse (unregistered point, a quantity over the ceiling) is logged and dropped: the refusal is checked before
 * anything is written, so the event is still recorded as processed and never retried.
 */
@ApplicationScoped
public class StoragePointEvents {

    static final String CONSUMER = "order-replenishment";
    public static final String ACTOR = "system:storage-point";
    private static final Logger LOG = Logger.getLogger(StoragePointEvents.class);

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    Orders orders;

    @Inject
    ObjectMapper mapper;

    @Incoming("storage")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        consumers.process("storage", record,
                event -> processed.once(CONSUMER, event, Events.REPLENISHMENT_REQUESTED, mapper, this::replenish));
    }

    void replenish(ReplenishmentRequested r) {
        if (BloodOrder.count("id", r.requestId()) > 0) {
            return;
        }
        Orders.Submission submission = new Orders.Submission(r.storagePointId(), Priority.ROUTINE, null, false,
                r.lines().stream().map(l -> new Orders.NewLine(l.component(), l.abo(), l.rhd(), l.quantity(), false, false,
                        false, java.util.List.of()))
                        .toList(), "replenishment below par level", null);
        Instant now = Instant.now();
        try {
            orders.check(submission, now);
        } catch (DomainException refused) {
            LOG.warnf("replenishment %s for %s refused: %s %s", r.requestId(), r.storagePointId(), refused.code(),
                    refused.getMessage());
            return;
        }
        orders.submit(submission, ACTOR, now, r.requestId());
    }
}

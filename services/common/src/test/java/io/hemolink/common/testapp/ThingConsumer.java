package io.hemolink.common.testapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.domain.DomainException;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.common.kafka.InboundEvent;
import io.hemolink.common.kafka.PoisonEventException;
import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Consumes thing events the way every service consumes: through {@link Consumers}, idempotently, effect and log in
 * one transaction. A statement waits at most 500 ms for a lock, so a test holding the table's lock makes a transient
 * failure; a thing with a negative position is refused by a rule (deterministic). The effect records the trace it
 * ran in.
 */
@ApplicationScoped
public class ThingConsumer {

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    @Incoming("things-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, String> record) {
        consumers.process("things-in", record, this::apply);
    }

    /** The same effect, a whole poll per transaction ({@code batch=true}). */
    @Incoming("things-batch-in")
    @Blocking(ordered = true)
    public CompletionStage<Void> consumeBatch(KafkaRecordBatch<String, String> batch) {
        return consumers.processBatch("things-batch-in", batch, this::apply);
    }

    private void apply(InboundEvent event) {
        em.createNativeQuery("set local lock_timeout = '500ms'").executeUpdate();
        boolean known = processed.once("thing-consumer", event, ThingEvents.THING_HAPPENED, mapper, thing -> {
            if (thing.position() < 0) {
                throw DomainException.invalid("POSITION_INVALID", "a thing's position is not negative", "position");
            }
            em.createNativeQuery("insert into thing_effect (event_id, thing_key, position, trace_id)"
                            + " values (?1, ?2, ?3, ?4)")
                    .setParameter(1, event.id()).setParameter(2, thing.thingKey()).setParameter(3, thing.position())
                    .setParameter(4, Span.current().getSpanContext().getTraceId())
                    .executeUpdate();
        });
        if (!known && !event.is(ThingEvents.THING_HAPPENED)) {
            throw new PoisonEventException("not a thing event: " + event.type());
        }
    }
}

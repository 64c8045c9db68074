package io.hemolink.common.testapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.InboundEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes thing events the way every service consumes: idempotently, effect and log in one transaction. */
@ApplicationScoped
public class ThingConsumer {

    @Inject
    ProcessedEvents processed;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper mapper;

    @Incoming("things-in")
    @Blocking(ordered = true)
    @Transactional
    public void consume(ConsumerRecord<String, String> record) {
        InboundEvent event = InboundEvent.of(record);
        boolean known = processed.once("thing-consumer", event, ThingEvents.THING_HAPPENED, mapper, thing -> em
                .createNativeQuery("insert into thing_effect (event_id, thing_key, position) values (?1, ?2, ?3)")
                .setParameter(1, event.id()).setParameter(2, thing.thingKey()).setParameter(3, thing.position())
                .executeUpdate());
        if (!known && !event.is(ThingEvents.THING_HAPPENED)) {
            throw new io.hemolink.common.kafka.PoisonEventException("not a thing event: " + event.type());
        }
    }
}

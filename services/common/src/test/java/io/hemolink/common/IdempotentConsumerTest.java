package io.hemolink.common;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class IdempotentConsumerTest {

    @Inject
    EntityManager em;

    @Test
    void redeliveredEventHasItsEffectOnce() {
        String eventId = UUID.randomUUID().toString();
        String key = "dup-" + eventId;
        String payload = "{\"thingKey\":\"" + key + "\",\"position\":7,\"name\":\"twice\"}";
        for (int i = 0; i < 3; i++) {
            KafkaProbe.send(ThingEvents.TOPIC, key, payload, CloudEventHeaders.ID, eventId,
                    CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0");
        }
        // a later, different event on the same key proves the three copies were all consumed
        String marker = UUID.randomUUID().toString();
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":8,\"name\":\"marker\"}",
                CloudEventHeaders.ID, marker, CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());

        awaitEffects(key, 2);
        assertEquals(1, effects("event_id = '" + eventId + "'"), "three deliveries of one event, one effect");
        assertEquals(1, effects("event_id = '" + marker + "'"));
    }

    @Test
    void poisonEventGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
        String key = "poison-" + UUID.randomUUID();
        KafkaProbe.send(ThingEvents.TOPIC, key, "{not json", CloudEventHeaders.ID, UUID.randomUUID().toString(),
                CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":1,\"name\":\"no id\"}");
        String good = UUID.randomUUID().toString();
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":2,\"name\":\"good\"}",
                CloudEventHeaders.ID, good, CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());

        awaitEffects(key, 1);
        assertEquals(1, effects("thing_key = '" + key + "'"), "only the good event had an effect");
        assertEquals(2, KafkaProbe.read(ThingEvents.TOPIC + ".dlq", r -> key.equals(r.key()), 2, Duration.ofSeconds(15)).size(),
                "both poison events are in the dead-letter topic");
    }

    private void awaitEffects(String key, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && effects("thing_key = '" + key + "'") < expected) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long effects(String where) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from thing_effect where " + where).getSingleResult()).longValue());
    }
}

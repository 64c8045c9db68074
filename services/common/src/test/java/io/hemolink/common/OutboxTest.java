package io.hemolink.common;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.common.outbox.Outbox;
import io.hemolink.common.outbox.OutboxRelay;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class OutboxTest {

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    EntityManager em;

    @Test
    void committedEventIsPublishedWithCloudEventsHeaders() {
        String id = given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"locationId\":\"H001\",\"name\":\"committed\",\"abo\":\"O\",\"quantity\":2}")
                .post("/api/v1/things").then().statusCode(201).extract().path("id");

        List<ConsumerRecord<String, String>> records = KafkaProbe.read(ThingEvents.TOPIC, r -> id.equals(r.key()), 1,
                Duration.ofSeconds(15));
        assertEquals(1, records.size(), "the committed event reaches Kafka");
        ConsumerRecord<String, String> r = records.get(0);
        assertEquals("1.0", KafkaProbe.header(r, CloudEventHeaders.SPEC_VERSION));
        assertEquals("io.hemolink.test.thing-happened.v1", KafkaProbe.header(r, CloudEventHeaders.TYPE));
        assertEquals("/hemolink/common-test", KafkaProbe.header(r, CloudEventHeaders.SOURCE));
        assertEquals("thing/" + id, KafkaProbe.header(r, CloudEventHeaders.SUBJECT));
        assertNotNull(UUID.fromString(KafkaProbe.header(r, CloudEventHeaders.ID)));
        assertTrue(r.value().contains("\"name\":\"committed\""), r.value());
    }

    @Test
    void eventOfRolledBackTransactionIsNeverPublished() {
        String detail = given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"locationId\":\"H001\",\"name\":\"rolled-back\",\"abo\":\"A\",\"quantity\":1}")
                .post("/api/v1/things/failing").then().statusCode(409).body("code", equalTo("THING_REFUSED"))
                .extract().path("detail");
        String id = detail.substring(detail.lastIndexOf(' ') + 1);

        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from outbox_event where message_key = ?1").setParameter(1, id)
                .getSingleResult()).longValue());
        assertEquals(0, rows, "no outbox row survives the rollback");
        relay.drain();
        assertTrue(KafkaProbe.read(ThingEvents.TOPIC, r -> id.equals(r.key()), 1, Duration.ofSeconds(3)).isEmpty(),
                "nothing of the rolled-back transaction is on Kafka");
    }

    @Test
    void eventsOfOneKeyArriveInTheOrderTheyWereCommitted() {
        String key = "ordered-" + UUID.randomUUID();
        int n = 120;
        for (int i = 0; i < n; i++) {
            int position = i;
            QuarkusTransaction.requiringNew().run(() -> outbox.publish(ThingEvents.THING_HAPPENED, key, null,
                    new ThingEvents.ThingHappened(key, position, "p" + position)));
        }
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(ThingEvents.TOPIC, r -> key.equals(r.key()), n,
                Duration.ofSeconds(20));
        assertEquals(n, records.size());
        for (int i = 0; i < n; i++) {
            assertTrue(records.get(i).value().contains("\"position\":" + i + ","), "position " + i + ": " + records.get(i).value());
        }
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        try {
            outbox.publish(ThingEvents.THING_HAPPENED, "k", null, new ThingEvents.ThingHappened("k", 0, "x"));
        } catch (jakarta.transaction.TransactionalException expected) {
            return;
        }
        throw new AssertionError("an event without a transaction would be a dual write");
    }
}

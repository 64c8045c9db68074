package io.hemolink.common;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher lists what a consumer dead-lettered and replays it; the idempotent consumer applies it once. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class DeadLetterReplayTest {

    private static final String DLQ = ThingEvents.TOPIC + ".dlq";

    @Inject
    EntityManager em;

    @Test
    void aDeadLetterIsListedWithItsReasonAndReplayedOnceHoweverOftenItIsReplayed() {
        // an unreadable event is dead-lettered by the consumer: listed with the connector's reason and its headers
        String poisonKey = "listed-" + UUID.randomUUID();
        String poisonId = UUID.randomUUID().toString();
        KafkaProbe.send(ThingEvents.TOPIC, poisonKey, "{not json", CloudEventHeaders.ID, poisonId,
                CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
        KafkaProbe.read(DLQ, r -> poisonKey.equals(r.key()), 1, Duration.ofSeconds(20));
        Map<String, Object> listed = letter(poisonKey, ThingEvents.TOPIC);
        assertEquals(ThingEvents.TOPIC, listed.get("originalTopic"));
        assertTrue(String.valueOf(listed.get("reason")).contains("unreadable payload"), "reason: " + listed.get("reason"));
        assertEquals(poisonId, ((Map<?, ?>) listed.get("headers")).get(CloudEventHeaders.ID));
        assertEquals("{not json", listed.get("payload"));

        // a good event that was dead-lettered (say, by a bug since fixed): replayed twice, applied once
        String key = "replayed-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        KafkaProbe.send(DLQ, key, "{\"thingKey\":\"" + key + "\",\"position\":5,\"name\":\"again\"}",
                CloudEventHeaders.ID, eventId, CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType(),
                "dead-letter-topic", ThingEvents.TOPIC, "dead-letter-reason", "a bug since fixed");
        KafkaProbe.read(DLQ, r -> key.equals(r.key()), 1, Duration.ofSeconds(20));
        Map<String, Object> letter = letter(key, DLQ);
        String path = "/api/v1/admin/dead-letters/" + DLQ + "/" + letter.get("partition") + "/" + letter.get("offset") + "/replay";

        given().auth().oauth2(TestTokens.hospital("H001")).post(path).then().statusCode(403)
                .contentType("application/problem+json");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(TestTokens.dispatcher()).post(path).then().statusCode(202)
                    .body("replayedTo", equalTo(ThingEvents.TOPIC));
        }
        var replayed = KafkaProbe.read(ThingEvents.TOPIC, r -> key.equals(r.key()), 2, Duration.ofSeconds(20));
        assertEquals(2, replayed.size(), "both replays are on the original topic");
        assertEquals(eventId, KafkaProbe.header(replayed.get(0), CloudEventHeaders.ID), "with the event's own id");
        assertEquals(null, KafkaProbe.header(replayed.get(0), "dead-letter-reason"), "without the failure headers");
        assertNotNull(KafkaProbe.header(replayed.get(0), "hemolink-replayed-from"));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (effects(key) < 1 && System.nanoTime() < deadline) {
            sleep();
        }
        // a marker after both copies on the same key (one partition, in order) proves both were consumed
        String marker = UUID.randomUUID().toString();
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":6,\"name\":\"marker\"}",
                CloudEventHeaders.ID, marker, CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
        while (effects(key) < 2 && System.nanoTime() < deadline) {
            sleep();
        }
        assertEquals(2, effects(key), "the replayed event once, and the marker");
    }

    @Test
    void anUnknownDeadLetterOrTopicIsAProblem404() {
        given().auth().oauth2(TestTokens.dispatcher()).post("/api/v1/admin/dead-letters/" + DLQ + "/0/999999999/replay")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("topic", "hemolink.nobody.reads-this")
                .get("/api/v1/admin/dead-letters").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/admin/dead-letters").then().statusCode(403);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> letter(String key, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonPath page = JsonPath.from(given().auth().oauth2(TestTokens.dispatcher()).queryParam("topic", topic)
                    .queryParam("limit", 500).get("/api/v1/admin/dead-letters").then().statusCode(200).extract().asString());
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                if (key.equals(item.get("key"))) {
                    assertEquals(ThingEvents.TOPIC, ((Map<String, String>) page.get("topics")).get(DLQ));
                    return item;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no dead letter with key " + key + " listed");
            }
            sleep();
        }
    }

    private long effects(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from thing_effect where thing_key = ?1").setParameter(1, key)
                .getSingleResult()).longValue());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

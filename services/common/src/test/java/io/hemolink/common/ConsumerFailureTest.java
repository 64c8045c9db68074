package io.hemolink.common;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.kafka.ConsumersHealthCheck;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failure semantics of every consumer (services/common's {@code Consumers}, through the test app's ThingConsumer on a
 * real broker and database): a transient failure is retried in order and never dead-lettered, with readiness DOWN
 * meanwhile; a refusal by a domain rule goes to the dead-letter topic with its reason.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class ConsumerFailureTest {

    @Inject
    EntityManager em;

    @Test
    void aTransientFailureIsRetriedInOrderWithoutSkippingOrDeadLettering() throws Exception {
        String key = "locked-" + UUID.randomUUID();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        double retriesBefore = retries();
        try (Connection c = DriverManager.getConnection(TestInfrastructure.jdbcUrl("common"), "postgres", "")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // reads go on, but the consumer's insert waits for the lock and times out (500 ms): a failure that passes
                s.execute("lock table thing_effect in exclusive mode");
            }
            send(key, first, 1);
            send(key, second, 2);
            await(() -> !ready(), Duration.ofSeconds(20), "readiness goes DOWN while the consumer cannot progress");
            JsonPath health = JsonPath.from(given().get("/q/health/ready").then().statusCode(503).extract().asString());
            String stall = health.getString("checks.find { it.name == '" + ConsumersHealthCheck.NAME + "' }.data.things-in");
            assertTrue(stall != null && stall.contains("lock"), "the check names the channel and its last error: " + stall);
            Thread.sleep(1500); // several attempts fail meanwhile
            assertEquals(0, effects(key), "nothing was applied while the table was locked");
            c.rollback();
        }
        await(() -> effects(key) == 2, Duration.ofSeconds(20), "both events are applied once the lock is gone");
        List<?> positions = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select position from thing_effect where thing_key = ?1 order by seq").setParameter(1, key).getResultList());
        assertEquals(List.of(1, 2), positions.stream().map(p -> ((Number) p).intValue()).toList(), "in their order");
        await(this::ready, Duration.ofSeconds(10), "readiness is UP again");
        assertTrue(retries() - retriesBefore >= 2, "the retries are counted per channel");
        assertEquals(0, KafkaProbe.read(ThingEvents.TOPIC + ".dlq", r -> key.equals(r.key()), 1, Duration.ofSeconds(3)).size(),
                "nothing went to the dead-letter topic");
    }

    @Test
    void aRefusalByADomainRuleIsDeadLetteredWithItsReasonAndTheNextEventGoesOn() {
        String key = "refused-" + UUID.randomUUID();
        String refused = UUID.randomUUID().toString();
        send(key, refused, -1);
        send(key, UUID.randomUUID().toString(), 3);
        await(() -> effects(key) == 1, Duration.ofSeconds(20), "the event after the refused one is applied");
        List<ConsumerRecord<String, String>> dead = KafkaProbe.read(ThingEvents.TOPIC + ".dlq", r -> key.equals(r.key()), 1,
                Duration.ofSeconds(15));
        assertEquals(1, dead.size(), "the refused event is in the dead-letter topic");
        assertEquals(refused, KafkaProbe.header(dead.get(0), CloudEventHeaders.ID), "with its own headers");
        String reason = KafkaProbe.header(dead.get(0), "dead-letter-reason");
        assertTrue(reason.contains("POSITION_INVALID"), "and the rule's code as the reason: " + reason);
        assertEquals(ThingEvents.TOPIC, KafkaProbe.header(dead.get(0), "dead-letter-topic"));
    }

    private static void send(String key, String eventId, int position) {
        KafkaProbe.send(ThingEvents.TOPIC, key, "{\"thingKey\":\"" + key + "\",\"position\":" + position + ",\"name\":\"n\"}",
                CloudEventHeaders.ID, eventId, CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
    }

    private boolean ready() {
        return given().get("/q/health/ready").statusCode() == 200;
    }

    private static double retries() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("hemolink_consumer_retries_total") && l.contains("channel=\"things-in\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private long effects(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from thing_effect where thing_key = ?1").setParameter(1, key)
                .getSingleResult()).longValue());
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted: " + what);
            }
        }
    }
}

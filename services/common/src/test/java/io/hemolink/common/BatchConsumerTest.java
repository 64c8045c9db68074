package io.hemolink.common;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testapp.ThingEvents;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Consumers.processBatch} (ADR 0041) on a real broker and database, through the test app's batch channel: a
 * poll is applied in one transaction; a poison event in a poll goes alone to the dead-letter topic and the others are
 * applied once, in order; a duplicate inside a poll is applied once; a transient failure is retried, nothing lost,
 * nothing dead-lettered. The rate of both channels over the same effect is printed.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class BatchConsumerTest {

    private static final String TOPIC = "hemolink.test.batch-things";

    @Inject
    EntityManager em;

    @Test
    void aPoisonEventInAPollIsDeadLetteredAloneAndTheOthersAreAppliedOnceInOrder() {
        String key = "batch-poison-" + UUID.randomUUID();
        String poison = UUID.randomUUID().toString();
        String twice = UUID.randomUUID().toString();
        double fallbacks = metric("hemolink_consumer_batch_fallbacks_total");
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            if (i == 30) {
                send(TOPIC, key, poison, -1); // refused by the rule: can never be processed
            }
            if (i == 40) {
                send(TOPIC, key, twice, 40);
                send(TOPIC, key, twice, 40); // the same event again inside the poll
                expected.add(40);
                continue;
            }
            send(TOPIC, key, UUID.randomUUID().toString(), i);
            expected.add(i);
        }
        await(() -> effects(key) >= 60, Duration.ofSeconds(30), "every event but the poison one is applied");
        assertEquals(expected, positions(key), "each once, in their order");
        List<ConsumerRecord<String, String>> dead = KafkaProbe.read(TOPIC + ".dlq", r -> key.equals(r.key()), 2,
                Duration.ofSeconds(5));
        assertEquals(1, dead.size(), "only the poison event is dead-lettered");
        assertEquals(poison, KafkaProbe.header(dead.get(0), CloudEventHeaders.ID));
        assertTrue(KafkaProbe.header(dead.get(0), "dead-letter-reason").contains("POSITION_INVALID"),
                KafkaProbe.header(dead.get(0), "dead-letter-reason"));
        assertEquals(TOPIC, KafkaProbe.header(dead.get(0), "dead-letter-topic"));
        assertTrue(KafkaProbe.header(dead.get(0), "dead-letter-offset").matches("\\d+"));
        assertTrue(metric("hemolink_consumer_batch_fallbacks_total") > fallbacks, "the poll was worked again event by event");
    }

    @Test
    void aTransientFailureIsRetriedAndNothingIsLostOrDeadLettered() throws Exception {
        String key = "batch-locked-" + UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(TestInfrastructure.jdbcUrl("common"), "postgres", "")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("lock table thing_effect in exclusive mode");
            }
            for (int i = 1; i <= 20; i++) {
                send(TOPIC, key, UUID.randomUUID().toString(), i);
            }
            Thread.sleep(2500); // the poll's transaction and then the first event's fail meanwhile
            assertEquals(0, effects(key));
            c.rollback();
        }
        await(() -> effects(key) == 20, Duration.ofSeconds(30), "every event is applied once the lock is gone");
        assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(), positions(key));
        assertEquals(0, KafkaProbe.read(TOPIC + ".dlq", r -> key.equals(r.key()), 1, Duration.ofSeconds(3)).size());
    }

    @Test
    void aPollIsOneTransactionAndBothChannelsRatesArePrinted() {
        int n = 2000;
        double batchesBefore = metric("hemolink_consumer_batches_total");
        double batchRate = rate(TOPIC, "batch-rate-" + UUID.randomUUID(), n);
        double batches = metric("hemolink_consumer_batches_total") - batchesBefore;
        double singleRate = rate(ThingEvents.TOPIC, "single-rate-" + UUID.randomUUID(), n);
        System.out.printf("%d events, same effect: one transaction per poll %.0f events/s in %.0f polls; one per event "
                + "%.0f events/s%n", n, batchRate, batches, singleRate);
        assertTrue(batches >= 1 && batches < n / 4.0, "polls, not events, are committed: " + batches);
    }

    /** Events per second from the first send (all sent at once, a backlog) to the last effect committed. */
    private double rate(String topic, String key, int n) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, key,
                    "{\"thingKey\":\"" + key + "\",\"position\":" + i + ",\"name\":\"n\"}");
            r.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            r.headers().add(CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType().getBytes(StandardCharsets.UTF_8));
            records.add(r);
        }
        long t0 = System.nanoTime();
        KafkaProbe.sendAll(records);
        await(() -> effects(key) == n, Duration.ofSeconds(120), n + " events applied");
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void send(String topic, String key, String eventId, int position) {
        KafkaProbe.send(topic, key, "{\"thingKey\":\"" + key + "\",\"position\":" + position + ",\"name\":\"n\"}",
                CloudEventHeaders.ID, eventId, CloudEventHeaders.TYPE, ThingEvents.THING_HAPPENED.ceType());
    }

    private static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name) && l.contains("channel=\"things-batch-in\""))
                .map(l -> l.contains(" # ") ? l.substring(0, l.indexOf(" # ")) : l)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private long effects(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from thing_effect where thing_key = ?1").setParameter(1, key)
                .getSingleResult()).longValue());
    }

    private List<Integer> positions(String key) {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select position from thing_effect where thing_key = ?1 order by seq").setParameter(1, key).getResultList());
        return rows.stream().map(p -> ((Number) p).intValue()).toList();
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted: " + what);
            }
        }
    }
}

package io.hemolink.notification;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Level;
import io.hemolink.contracts.blood.OrderStatus;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.blood.Uom;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.RecallIssued;
import io.hemolink.contracts.events.inventory.RecruitmentRequested;
import io.hemolink.contracts.events.inventory.StockLevelChanged;
import io.hemolink.contracts.events.inventory.SupplyAlertCleared;
import io.hemolink.contracts.events.inventory.SupplyAlertRaised;
import io.hemolink.contracts.events.order.OrderStatusChanged;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.notification.delivery.DeliveryRetention;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks end to end with real receivers: events produced on the real Kafka topics, delivered by the worker over
 * HTTP to a server in the test, which checks the signature itself.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class WebhookDeliveryTest {

    @Inject
    EntityManager em;

    @Inject
    DeliveryRetention retention;

    private static OrderStatusChanged status(String order, String location, OrderStatus now, OrderStatus before) {
        return new OrderStatusChanged(order, location, now, before, Priority.ROUTINE, 1, "test", null, Instant.now());
    }

    @Test
    void signedInOrderRetriedUntilTheThirdAttemptAndNeverToAnotherHospital() throws Exception {
        String h = Hooks.newHospital();
        String other = Hooks.newHospital();
        try (Receiver mine = new Receiver().answering(500, 500); Receiver theirs = new Receiver()) {
            JsonPath sub = Hooks.subscribe(TestTokens.his(h), mine.url(), null, "ORDER_STATUS");
            JsonPath otherSub = Hooks.subscribe(TestTokens.his(other), theirs.url(), null, "ORDER_STATUS");
            String secret = sub.getString("secret");
            String order = UUID.randomUUID().toString();
            // the first as the order service commits it inside a trace (ADR 0031)
            String traceId = UUID.randomUUID().toString().replace("-", "");
            String first = UUID.randomUUID().toString();
            Hooks.send(Events.ORDER_STATUS_CHANGED, order, status(order, h, OrderStatus.SUBMITTED, null), first,
                    "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
            String second = Hooks.send(Events.ORDER_STATUS_CHANGED, order,
                    status(order, h, OrderStatus.ALLOCATED, OrderStatus.SUBMITTED));

            List<Receiver.Hit> hits = mine.await(hit -> hit.answered() == 200, 2, Duration.ofSeconds(30));
            assertEquals(List.of(first, second), Hooks.ids(hits), "both delivered, the first before the second");
            List<Receiver.Hit> all = mine.hits();
            assertEquals(List.of(500, 500, 200, 200), all.stream().map(Receiver.Hit::answered).toList(),
                    "the first event twice refused, then delivered on the third attempt; the second only after it");
            assertEquals(List.of(first, first, first, second), Hooks.ids(all));
            for (Receiver.Hit hit : all) {
                assertEquals("application/cloudevents+json", hit.contentType());
                assertTrue(Hooks.signedWith(secret, hit), "signature verified by the receiver: " + hit.signature());
            }
            assertEquals(all.get(0).text(), all.get(2).text(), "every attempt sends the same bytes");
            for (Receiver.Hit hit : all.subList(0, 3)) {
                assertNotNull(hit.traceparent(), "the delivery continues the event's trace");
                assertEquals(traceId, hit.traceparent().split("-")[1]);
            }
            assertEquals(traceId, Hooks.json(all.get(0)).getString("traceparent").split("-")[1]);
            JsonPath ce = Hooks.json(hits.get(0));
            assertEquals("1.0", ce.getString("specversion"));
            assertEquals(Events.ORDER_STATUS_CHANGED.ceType(), ce.getString("type"));
            assertEquals("/hemolink/test", ce.getString("source"));
            assertEquals(order, ce.getString("subject"));
            assertEquals("application/json", ce.getString("datacontenttype"));
            assertEquals("ORDER_STATUS", ce.getString("hemolinkevent"));
            assertEquals(h, ce.getString("data.locationId"));
            assertEquals("SUBMITTED", ce.getString("data.status"));
            assertNotNull(ce.getString("time"));

            JsonPath log = Hooks.deliveries(TestTokens.his(h), sub.getString("id"));
            assertEquals(List.of(second, first), log.getList("items.eventId"), "newest first");
            assertEquals(List.of(1, 3), log.getList("items.attempts"));
            assertEquals(List.of("DELIVERED", "DELIVERED"), log.getList("items.status"));
            assertEquals("HTTP 200", log.getString("items[1].lastStatus"));
            assertNotNull(log.getString("items[1].deliveredAt"));
            assertNull(log.get("items[1].nextAttemptAt"));

            Thread.sleep(500);
            assertTrue(theirs.hits().isEmpty(), "another hospital's receiver gets nothing of it");
            assertEquals(0, Hooks.deliveries(TestTokens.his(other), otherSub.getString("id")).getList("items").size());
            Hooks.unsubscribe(TestTokens.his(other), otherSub.getString("id"));
            Hooks.unsubscribe(TestTokens.his(h), sub.getString("id"));
        }
    }

    @Test
    void anAlertRaisedReachesTheReceiverWithinASecond() throws Exception {
        String h = Hooks.newHospital();
        try (Receiver receiver = new Receiver()) {
            JsonPath sub = Hooks.subscribe(TestTokens.hospital(h), receiver.url(), null, "ALERT");
            // warm up: the consumer's partitions are assigned and the worker runs
            String warm = Hooks.send(Events.SUPPLY_ALERT_RAISED, "RBC|O|NEG", new SupplyAlertRaised(
                    UUID.randomUUID().toString(), h, Component.RBC, Abo.O, RhD.NEG, Level.YELLOW, 2.5, Instant.now()));
            assertEquals(1, receiver.await(hit -> Hooks.json(hit).getString("id").equals(warm), 1,
                    Duration.ofSeconds(30)).size());

            long[] millis = new long[3];
            for (int i = 0; i < millis.length; i++) {
                SupplyAlertRaised raised = new SupplyAlertRaised(UUID.randomUUID().toString(), h, Component.PLT_AP,
                        Abo.A, RhD.POS, Level.RED, 0.8, Instant.now());
                long sent = System.nanoTime();
                String id = Hooks.send(Events.SUPPLY_ALERT_RAISED, "PLT_AP|A|POS", raised);
                List<Receiver.Hit> got = receiver.await(hit -> Hooks.json(hit).getString("id").equals(id), 1,
                        Duration.ofSeconds(10));
                assertEquals(1, got.size());
                millis[i] = (got.get(0).receivedNanos() - sent) / 1_000_000;
                assertEquals("RED", Hooks.json(got.get(0)).getString("data.level"));
            }
            System.out.printf("[measure] SupplyAlertRaised produced -> webhook received: %d ms, %d ms, %d ms%n",
                    millis[0], millis[1], millis[2]);
            for (long m : millis) {
                assertTrue(m < 1000, "an alert reaches the receiver within a second, took " + m + " ms");
            }
            Hooks.unsubscribe(TestTokens.hospital(h), sub.getString("id"));
        }
    }

    @Test
    void aRedeliveredKafkaEventMakesOneDelivery() throws Exception {
        String h = Hooks.newHospital();
        try (Receiver receiver = new Receiver()) {
            JsonPath sub = Hooks.subscribe(TestTokens.his(h), receiver.url(), null, "STOCK_LEVEL");
            StockLevelChanged level = new StockLevelChanged(h, Component.RBC, Abo.B, RhD.POS, 4, 4, Uom.U, 0, 1.5,
                    Level.YELLOW, Instant.now());
            String id = UUID.randomUUID().toString();
            String key = StockLevelChanged.key(h, Component.RBC, Abo.B, RhD.POS);
            Hooks.send(Events.STOCK_LEVEL_CHANGED, key, level, id);
            Hooks.send(Events.STOCK_LEVEL_CHANGED, key, level, id);
            // a later event on the same partition shows both copies have been consumed
            String later = Hooks.send(Events.STOCK_LEVEL_CHANGED, key, level);
            receiver.await(hit -> Hooks.json(hit).getString("id").equals(later), 1, Duration.ofSeconds(30));
            Thread.sleep(300);
            assertEquals(List.of(id, later), Hooks.ids(receiver.hits()), "the redelivered event is sent once");
            assertEquals(2, Hooks.deliveries(TestTokens.his(h), sub.getString("id")).getList("items").size());
            Hooks.unsubscribe(TestTokens.his(h), sub.getString("id"));
        }
    }

    @Test
    void audiencesFollowTenancy() throws Exception {
        String h = Hooks.newHospital();
        String other = Hooks.newHospital();
        try (Receiver mine = new Receiver(); Receiver theirs = new Receiver(); Receiver station = new Receiver()) {
            String subMine = Hooks.subscribe(TestTokens.his(h), mine.url(), null, "ALERT", "RECALL", "STOCK_LEVEL")
                    .getString("id");
            String subTheirs = Hooks.subscribe(TestTokens.his(other), theirs.url(), null, "ALERT", "RECALL")
                    .getString("id");
            String subStation = Hooks.subscribe(TestTokens.dispatcher(), station.url(), null, "RECALL", "RECRUITMENT")
                    .getString("id");

            // a recall naming a unit at each hospital: each gets only its own unit, the station all
            String din = "G123426" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
            RecallIssued recall = new RecallIssued(UUID.randomUUID().toString(), din, "lookback", List.of(
                    new RecallIssued.RecalledUnit(din, Component.RBC, null, h, UnitStatus.AVAILABLE, UnitStatus.QUARANTINED),
                    new RecallIssued.RecalledUnit(din, Component.FFP, null, other, UnitStatus.AVAILABLE, UnitStatus.QUARANTINED),
                    new RecallIssued.RecalledUnit(din, Component.PLT_AP, null, "STATION", UnitStatus.AVAILABLE,
                            UnitStatus.QUARANTINED)), "qa", Instant.now());
            String recallId = Hooks.send(Events.RECALL_ISSUED, din, recall);
            // a region alert to both hospitals; an alert of the other hospital to it only; a recruitment request
            String region = Hooks.send(Events.SUPPLY_ALERT_RAISED, "RBC|AB|NEG", new SupplyAlertRaised(
                    UUID.randomUUID().toString(), "REGION", Component.RBC, Abo.AB, RhD.NEG, Level.RED, 0.5, Instant.now()));
            String theirsOnly = Hooks.send(Events.SUPPLY_ALERT_CLEARED, "RBC|AB|NEG", new SupplyAlertCleared(
                    UUID.randomUUID().toString(), other, Component.RBC, Abo.AB, RhD.NEG, Instant.now()));
            String recruitment = Hooks.send(Events.RECRUITMENT_REQUESTED, "RBC|AB|NEG", new RecruitmentRequested(
                    UUID.randomUUID().toString(), Component.RBC, Abo.AB, RhD.NEG, Level.RED, 0.5, 12,
                    LocalDate.now().plusDays(7), Instant.now()));
            // the region's total stock to every STOCK_LEVEL subscriber, another hospital's level not
            String regionLevel = Hooks.send(Events.STOCK_LEVEL_CHANGED, "REGION|RBC|O|POS", new StockLevelChanged(
                    "REGION", Component.RBC, Abo.O, RhD.POS, 40, 40, Uom.U, 2, 3.0, Level.GREEN, Instant.now()));
            Hooks.send(Events.STOCK_LEVEL_CHANGED, other + "|RBC|O|POS", new StockLevelChanged(
                    other, Component.RBC, Abo.O, RhD.POS, 4, 4, Uom.U, 0, 3.0, Level.GREEN, Instant.now()));

            assertEquals(2, station.await(hit -> true, 2, Duration.ofSeconds(30)).size());
            mine.await(hit -> true, 3, Duration.ofSeconds(30));
            theirs.await(hit -> true, 3, Duration.ofSeconds(30));
            Thread.sleep(500);

            List<Receiver.Hit> mineHits = mine.hits();
            assertEquals(java.util.Set.of(recallId, region, regionLevel), java.util.Set.copyOf(Hooks.ids(mineHits)));
            JsonPath myRecall = Hooks.json(mineHits.stream().filter(x -> Hooks.json(x).getString("id").equals(recallId))
                    .findFirst().orElseThrow());
            assertEquals(List.of(h), myRecall.getList("data.units.locationId"), "only its own unit in the recall");
            assertEquals("RECALL", myRecall.getString("hemolinkevent"));

            List<Receiver.Hit> theirHits = theirs.hits();
            assertEquals(java.util.Set.of(recallId, region, theirsOnly), java.util.Set.copyOf(Hooks.ids(theirHits)));
            JsonPath theirRecall = Hooks.json(theirHits.stream().filter(x -> Hooks.json(x).getString("id").equals(recallId))
                    .findFirst().orElseThrow());
            assertEquals(List.of("FFP"), theirRecall.getList("data.units.component"));

            List<Receiver.Hit> stationHits = station.hits();
            assertEquals(java.util.Set.of(recallId, recruitment), java.util.Set.copyOf(Hooks.ids(stationHits)));
            JsonPath stationRecall = Hooks.json(stationHits.stream()
                    .filter(x -> Hooks.json(x).getString("id").equals(recallId)).findFirst().orElseThrow());
            assertEquals(3, stationRecall.getList("data.units").size(), "the station sees the whole recall");
            JsonPath request = Hooks.json(stationHits.stream()
                    .filter(x -> Hooks.json(x).getString("id").equals(recruitment)).findFirst().orElseThrow());
            assertEquals(12, request.getInt("data.unitsNeeded"));
            assertEquals("RECRUITMENT", request.getString("hemolinkevent"));

            Hooks.unsubscribe(TestTokens.his(h), subMine);
            Hooks.unsubscribe(TestTokens.his(other), subTheirs);
            Hooks.unsubscribe(TestTokens.dispatcher(), subStation);
        }
    }

    @Test
    void aDeliveryGivenUpIsFailedInTheLogAndTheNextGoesOn() throws Exception {
        String h = Hooks.newHospital();
        try (Receiver receiver = new Receiver()) {
            JsonPath sub = Hooks.subscribe(TestTokens.his(h), receiver.url(), null, "ORDER_STATUS");
            String order = UUID.randomUUID().toString();
            String doomed = UUID.randomUUID().toString();
            receiver.refusing(body -> body.contains(doomed));
            Hooks.send(Events.ORDER_STATUS_CHANGED, order, status(order, h, OrderStatus.SUBMITTED, null), doomed);
            String next = Hooks.send(Events.ORDER_STATUS_CHANGED, order,
                    status(order, h, OrderStatus.CANCELLED, OrderStatus.SUBMITTED));
            assertEquals(1, receiver.await(hit -> true, 1, Duration.ofSeconds(30)).size());
            Thread.sleep(300);
            assertTrue(receiver.hits().stream().noneMatch(hit -> Hooks.json(hit).getString("id").equals(next)),
                    "the next one waits behind the failing one");
            // the failing one is older than retry-for: its next failure gives it up
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "update delivery set created_at = now() - interval '26 hours' where event_id = ?1")
                    .setParameter(1, doomed).executeUpdate());
            List<Receiver.Hit> got = receiver.await(hit -> Hooks.json(hit).getString("id").equals(next), 1,
                    Duration.ofSeconds(30));
            assertEquals(1, got.size(), "after the give-up the subscription's next delivery goes on");
            assertEquals(503, receiver.hits().stream().filter(hit -> Hooks.json(hit).getString("id").equals(doomed))
                    .reduce((a, b) -> b).orElseThrow().answered());
            JsonPath log = Hooks.deliveries(TestTokens.his(h), sub.getString("id"));
            assertEquals(doomed, log.getString("items[1].eventId"));
            assertEquals("FAILED", log.getString("items[1].status"));
            assertEquals("HTTP 503", log.getString("items[1].lastStatus"));
            assertNull(log.get("items[1].nextAttemptAt"));
            assertTrue(log.getInt("items[1].attempts") >= 2);

            // retention: finished rows older than 30 days are deleted, newer ones kept
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "update delivery set finished_at = now() - interval '31 days' where event_id = ?1")
                    .setParameter(1, doomed).executeUpdate());
            assertTrue(retention.purge() >= 1);
            assertEquals(List.of(next), Hooks.deliveries(TestTokens.his(h), sub.getString("id")).getList("items.eventId"));
            Hooks.unsubscribe(TestTokens.his(h), sub.getString("id"));
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsTriedAgain() throws Exception {
        String h = Hooks.newHospital();
        try (Receiver receiver = new Receiver().slow(1, 4500)) { // the tests' time limit is 3 s
            JsonPath sub = Hooks.subscribe(TestTokens.his(h), receiver.url(), null, "ORDER_STATUS");
            String order = UUID.randomUUID().toString();
            String id = Hooks.send(Events.ORDER_STATUS_CHANGED, order, status(order, h, OrderStatus.SUBMITTED, null));
            List<Receiver.Hit> hits = receiver.await(hit -> true, 2, Duration.ofSeconds(30));
            assertEquals(List.of(id, id), Hooks.ids(hits), "sent again after the time limit");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonPath log = Hooks.deliveries(TestTokens.his(h), sub.getString("id"));
            while (!"DELIVERED".equals(log.getString("items[0].status")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                log = Hooks.deliveries(TestTokens.his(h), sub.getString("id"));
            }
            assertEquals("DELIVERED", log.getString("items[0].status"));
            assertEquals(2, log.getInt("items[0].attempts"));
            Hooks.unsubscribe(TestTokens.his(h), sub.getString("id"));
        }
    }

    @Test
    void aRefusedConnectionIsRetriedWithTheReasonInTheLog() throws Exception {
        String h = Hooks.newHospital();
        Receiver closed = new Receiver();
        String url = closed.url();
        closed.close(); // nothing listens there any more
        JsonPath sub = Hooks.subscribe(TestTokens.his(h), url, null, "ORDER_STATUS");
        String order = UUID.randomUUID().toString();
        Hooks.send(Events.ORDER_STATUS_CHANGED, order, status(order, h, OrderStatus.SUBMITTED, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath log = Hooks.deliveries(TestTokens.his(h), sub.getString("id"));
        while ((log.getList("items").isEmpty() || log.getInt("items[0].attempts") < 2) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = Hooks.deliveries(TestTokens.his(h), sub.getString("id"));
        }
        assertTrue(log.getInt("items[0].attempts") >= 2, "retried");
        assertEquals("PENDING", log.getString("items[0].status"));
        assertEquals("connection refused", log.getString("items[0].lastStatus"));
        assertNotNull(log.getString("items[0].nextAttemptAt"));
        Hooks.unsubscribe(TestTokens.his(h), sub.getString("id"));
        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions/" + sub.getString("id")).then().statusCode(404);
    }
}

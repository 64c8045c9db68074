package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.order.OrderCancelled;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderReceived;
import io.hemolink.contracts.events.order.ReturnRequested;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.domain.Allocator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Allocation driven by the order service's contract events, over real Kafka and PostgreSQL. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class AllocationTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    Allocator allocator;

    @Inject
    jakarta.persistence.EntityManager em;

    /** Lines a test leaves open (backorders) must not take the stock of the tests after it. */
    @org.junit.jupiter.api.AfterEach
    void closeOpenLines() {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update demand_line set closed_at = now() where closed_at is null").executeUpdate());
    }

    private static String releaseAtStation(String component, String abo, String rhd, int quantity, int daysAgo) {
        String din = newDin();
        release(unitJson(din, component, abo, rhd, quantity,
                Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())).statusCode(201);
        return din;
    }

    private static OrderSubmitted order(Priority priority, boolean substitution, Component c, Abo abo, RhD rhd, int quantity) {
        Instant now = Instant.now();
        return new OrderSubmitted("ORD-" + UUID.randomUUID(), "H001", priority, null, now.plus(Duration.ofHours(4)),
                substitution, List.of(new OrderLine(1, c, abo, rhd, quantity, false, false, false, List.of())), now, "hospital-a");
    }

    private void send(OrderSubmitted order, String eventId) throws Exception {
        KafkaProbe.send(Topics.ORDERS, order.orderId(), mapper.writeValueAsString(order), CloudEventHeaders.ID, eventId,
                CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0");
    }

    private AllocationMade awaitAllocation(String orderId) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS, r -> orderId.equals(r.key()), 1,
                Duration.ofSeconds(20));
        assertEquals(1, records.size(), "one allocation for " + orderId);
        return mapper.readValue(records.get(0).value(), AllocationMade.class);
    }

    @Test
    void fefoAmongBagsWithEnoughShelfLifeLeft() throws Exception {
        String fiveDaysLeft = releaseAtStation("RBC_LR", "A", "POS", 1, 30);
        String fifteenDaysLeft = releaseAtStation("RBC_LR", "A", "POS", 2, 20);
        String twentyFiveDaysLeft = releaseAtStation("RBC_LR", "A", "POS", 2, 10);
        String twentyDaysLeft = releaseAtStation("RBC_LR", "A", "POS", 1, 15);

        OrderSubmitted order = order(Priority.ROUTINE, false, Component.RBC_LR, Abo.A, RhD.POS, 3);
        send(order, UUID.randomUUID().toString());
        AllocationMade made = awaitAllocation(order.orderId());

        assertEquals("ALLOCATED", made.status().name());
        assertEquals(3, made.lines().get(0).allocatedQuantity());
        assertEquals(List.of(fifteenDaysLeft, twentyDaysLeft), made.lines().get(0).units().stream().map(u -> u.din()).toList(),
                "first expiry first, never a bag with less than 7 days left on a routine order");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + fifteenDaysLeft + "/RBC_LR").then()
                .body("status", equalTo("RESERVED")).body("orderId", equalTo(order.orderId()));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + fiveDaysLeft + "/RBC_LR").then()
                .body("status", equalTo("AVAILABLE"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + twentyFiveDaysLeft + "/RBC_LR").then()
                .body("status", equalTo("AVAILABLE"));
    }

    @Test
    void substitutionOnlyWhenTheOrderAllowsIt() throws Exception {
        String oNeg = releaseAtStation("RBC_LR", "O", "NEG", 2, 3);

        OrderSubmitted strict = order(Priority.EMERGENCY, false, Component.RBC_LR, Abo.B, RhD.NEG, 2);
        send(strict, UUID.randomUUID().toString());
        assertEquals("BACKORDERED", awaitAllocation(strict.orderId()).status().name());

        OrderSubmitted emergency = order(Priority.EMERGENCY, true, Component.RBC_LR, Abo.B, RhD.NEG, 2);
        send(emergency, UUID.randomUUID().toString());
        AllocationMade made = awaitAllocation(emergency.orderId());
        assertEquals("ALLOCATED", made.status().name());
        assertEquals(oNeg, made.lines().get(0).units().get(0).din(), "B- patient gets O- red cells");
    }

    @Test
    void rhdNegativeBagsGoToRhdPositivePatientsOnlyWhenTheyWouldOtherwiseExpire() throws Exception {
        String negExpiring = releaseAtStation("WB", "AB", "NEG", 1, 33); // 2 days left: within the 72 h release
        String negFresh = releaseAtStation("WB", "AB", "NEG", 1, 5);
        String pos = releaseAtStation("WB", "AB", "POS", 1, 20);

        OrderSubmitted order = order(Priority.URGENT, true, Component.WB, Abo.AB, RhD.POS, 2);
        send(order, UUID.randomUUID().toString());
        AllocationMade made = awaitAllocation(order.orderId());

        assertEquals("ALLOCATED", made.status().name());
        assertEquals(List.of(negExpiring, pos), made.lines().get(0).units().stream().map(u -> u.din()).toList(),
                "the RhD-negative bag that would expire first, then the patient's own group");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + negFresh + "/WB").then()
                .body("status", equalTo("AVAILABLE"));
    }

    @Test
    void aRedeliveredOrderIsAllocatedOnceAndACancelGivesTheBagsBack() throws Exception {
        String din = releaseAtStation("RBC_LR", "B", "POS", 2, 2);
        OrderSubmitted order = order(Priority.URGENT, false, Component.RBC_LR, Abo.B, RhD.POS, 2);
        String eventId = UUID.randomUUID().toString();
        send(order, eventId);
        send(order, eventId);
        AllocationMade made = awaitAllocation(order.orderId());
        assertEquals(List.of(din), made.lines().get(0).units().stream().map(u -> u.din()).toList());
        Thread.sleep(1000);
        assertEquals(1, KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key())
                && Events.ALLOCATION_MADE.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), 2,
                Duration.ofSeconds(3)).size(), "the second delivery allocated nothing");

        KafkaProbe.send(Topics.ORDERS, order.orderId(), mapper.writeValueAsString(
                        new OrderCancelled(order.orderId(), "H001", "patient discharged", "hospital-a", Instant.now())),
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.ORDER_CANCELLED.ceType());
        assertEquals(1, KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key())
                && Events.ALLOCATION_RELEASED.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), 1,
                Duration.ofSeconds(20)).size());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/RBC_LR").then()
                .body("status", equalTo("AVAILABLE")).body("history.type", org.hamcrest.Matchers.hasItem("UNRESERVED"));
    }

    private static io.restassured.response.ValidatableResponse quarantine(String din, String reason) {
        return given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"type\":\"QUARANTINED\",\"reason\":\"" + reason + "\",\"occurredAt\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}")
                .post("/api/v1/units/" + din + "/RBC_LR/events").then().statusCode(201)
                .body("status", equalTo("QUARANTINED"));
    }

    @Test
    void qaHoldsAReservedBagWhoseLineTakesAnotherAndAnInTransitOneThatNoReceiptPutsIntoStock() throws Exception {
        String faulty = releaseAtStation("RBC_LR", "B", "POS", 1, 4);
        OrderSubmitted order = order(Priority.URGENT, false, Component.RBC_LR, Abo.B, RhD.POS, 1);
        send(order, UUID.randomUUID().toString());
        assertEquals(List.of(faulty), awaitAllocation(order.orderId()).lines().get(0).units().stream().map(u -> u.din()).toList());

        // QA finds the reserved bag faulty: it leaves the order, which shows it at once (refilled from the stock
        // there is, or waiting for a bag)
        quarantine(faulty, "haemolysis seen at inspection").body("orderId", org.hamcrest.Matchers.nullValue());
        List<ConsumerRecord<String, String>> pictures = KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key()),
                2, Duration.ofSeconds(20));
        AllocationMade without = mapper.readValue(pictures.get(1).value(), AllocationMade.class);
        assertTrue(without.lines().get(0).units().stream().noneMatch(u -> u.din().equals(faulty)));
        AllocationMade refilled = without;
        if (without.status().name().equals("BACKORDERED")) {
            String replacement = releaseAtStation("RBC_LR", "B", "POS", 1, 3);
            pictures = KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key()), 3, Duration.ofSeconds(20));
            refilled = mapper.readValue(pictures.get(2).value(), AllocationMade.class);
            assertEquals(List.of(replacement), refilled.lines().get(0).units().stream().map(u -> u.din()).toList());
        }
        assertEquals("ALLOCATED", refilled.status().name());
        String replacement = refilled.lines().get(0).units().get(0).din();
        assertTrue(!replacement.equals(faulty));

        // held while in transit: the hospital's receipt cannot put it into its stock
        event(Events.ORDER_DISPATCHED, order.orderId(), new OrderDispatched(order.orderId(), "H001", "CK-0002",
                List.of(new OrderDispatched.UnitKey(replacement, "RBC_LR")), "dispatcher", Instant.now()));
        awaitStatus(replacement, "IN_TRANSIT");
        quarantine(replacement, "donor lookback").body("orderId", equalTo(order.orderId()));
        event(Events.ORDER_RECEIVED, order.orderId(), new OrderReceived(order.orderId(), "H001", List.of(
                new OrderReceived.Receipt(replacement, "RBC_LR", true, null)), "hospital-a", Instant.now()));
        Thread.sleep(1500);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + replacement + "/RBC_LR").then()
                .body("status", equalTo("QUARANTINED"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + faulty + "/RBC_LR").then()
                .body("status", equalTo("QUARANTINED"));
    }

    @Test
    void dispatchReceiptAndReturnsMoveTheBags() throws Exception {
        String kept = releaseAtStation("RBC_LR", "AB", "NEG", 1, 2);
        String refused = releaseAtStation("RBC_LR", "AB", "NEG", 1, 2);
        OrderSubmitted order = order(Priority.URGENT, false, Component.RBC_LR, Abo.AB, RhD.NEG, 2);
        send(order, UUID.randomUUID().toString());
        assertEquals("ALLOCATED", awaitAllocation(order.orderId()).status().name());

        event(Events.ORDER_DISPATCHED, order.orderId(), new OrderDispatched(order.orderId(), "H001", "CK-0001",
                List.of(new OrderDispatched.UnitKey(kept, "RBC_LR"), new OrderDispatched.UnitKey(refused, "RBC_LR")),
                "dispatcher", Instant.now()));
        awaitStatus(kept, "IN_TRANSIT");
        event(Events.ORDER_RECEIVED, order.orderId(), new OrderReceived(order.orderId(), "H001", List.of(
                new OrderReceived.Receipt(kept, "RBC_LR", true, null),
                new OrderReceived.Receipt(refused, "RBC_LR", false, "bag leaking")), "hospital-a", Instant.now()));
        awaitStatus(kept, "AVAILABLE");
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/units/" + kept + "/RBC_LR").then()
                .body("locationId", equalTo("H001"));
        awaitStatus(refused, "QUARANTINED");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + refused + "/RBC_LR").then()
                .body("locationId", equalTo("STATION"));

        String returnId = "RET-" + UUID.randomUUID();
        event(Events.RETURN_REQUESTED, returnId, new ReturnRequested(returnId, "H001", kept, "RBC_LR", true, true, 20,
                "surgery cancelled", "hospital-a", Instant.now()));
        List<ConsumerRecord<String, String>> decided = KafkaProbe.read(Topics.ALLOCATIONS, r -> returnId.equals(r.key()), 1,
                Duration.ofSeconds(20));
        assertTrue(decided.get(0).value().contains("RETURNED_TO_STOCK"), decided.get(0).value());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + kept + "/RBC_LR").then()
                .body("status", equalTo("AVAILABLE")).body("locationId", equalTo("STATION"))
                .body("history[-1].detail", org.hamcrest.Matchers.containsString("seal intact, segment attached, 20 min"));
    }

    @Test
    void aReturnWithoutTheEvidenceIsDiscarded() throws Exception {
        String din = newDin();
        release(unitJson(din, "RBC_LR", "O", "NEG", 1, Instant.now().minus(1, ChronoUnit.DAYS).toString())
                .replace("}", ",\"locationId\":\"H002\"}")).statusCode(201);
        String returnId = "RET-" + UUID.randomUUID();
        event(Events.RETURN_REQUESTED, returnId, new ReturnRequested(returnId, "H002", din, "RBC_LR", true, true, 45,
                "not needed", "hospital-b", Instant.now()));
        List<ConsumerRecord<String, String>> decided = KafkaProbe.read(Topics.ALLOCATIONS, r -> returnId.equals(r.key()), 1,
                Duration.ofSeconds(20));
        assertTrue(decided.get(0).value().contains("\"DISCARDED\""), decided.get(0).value());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/RBC_LR").then()
                .body("status", equalTo("DISCARDED"))
                .body("history[-1].detail", org.hamcrest.Matchers.containsString("returned-not-reusable"));
    }

    private <T> void event(io.hemolink.contracts.events.EventType<T> type, String key, T payload) throws Exception {
        KafkaProbe.send(type.topic(), key, mapper.writeValueAsString(payload), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, type.ceType());
    }

    private void awaitStatus(String din, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String now = null;
        while (System.nanoTime() < deadline) {
            now = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/RBC_LR").then()
                    .extract().path("status");
            if (status.equals(now)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(status, now, din);
    }

    @Test
    void competingAllocationsNeverTakeTheSameBag() throws Exception {
        Set<String> stock = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            stock.add(releaseAtStation("RBC_LR", "O", "POS", 1, 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<AllocationMade>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                OrderSubmitted o = order(Priority.URGENT, false, Component.RBC_LR, Abo.O, RhD.POS, 2);
                calls.add(() -> QuarkusTransaction.requiringNew().call(() -> allocator.allocate(o)));
            }
            List<String> taken = new ArrayList<>();
            for (Future<AllocationMade> f : pool.invokeAll(calls)) {
                f.get().lines().forEach(l -> l.units().forEach(u -> taken.add(u.din())));
            }
            assertEquals(taken.size(), new HashSet<>(taken).size(), "a bag in two allocations: " + taken);
            assertEquals(6, taken.stream().filter(stock::contains).count(), "all six bags allocated, each once");
        } finally {
            pool.shutdownNow();
        }
    }
}

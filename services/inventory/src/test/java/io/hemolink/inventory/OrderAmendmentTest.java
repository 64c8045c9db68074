package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.inventory.AllocationMade;
import io.hemolink.contracts.events.inventory.AllocationReleased;
import io.hemolink.contracts.events.inventory.UnitRef;
import io.hemolink.contracts.events.order.OrderAmended;
import io.hemolink.contracts.events.order.OrderDispatched;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An order amended before dispatch (api.md, "Orders: amend before dispatch"; ADR 0034), over real Kafka and
 * PostgreSQL: a line that keeps its number keeps its bags as far as they still fit, never more than its new quantity;
 * the rest goes back to stock; the picture carries the revision; a duplicated or stale amendment, or one after
 * dispatch, changes nothing.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class OrderAmendmentTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    jakarta.persistence.EntityManager em;

    @AfterEach
    void closeOpenLines() {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update demand_line set closed_at = now() where closed_at is null").executeUpdate());
    }

    @Test
    void keptLinesKeepTheirFittingBagsAndEverythingElseGoesBack() throws Exception {
        // a routine order takes bags with 7 days left at the least: these have 7 days and 2, 3 and 4 hours left (35 days of
        // shelf life), so they are the first-expiring bags it may take whatever other tests left in stock
        Duration justUsable = Duration.ofDays(35 - 7).minusHours(2);
        List<String> rbc = List.of(released("RBC_LR", "AB", "NEG", 1, justUsable, ""),
                released("RBC_LR", "AB", "NEG", 1, justUsable.minusHours(1), ""),
                released("RBC_LR", "AB", "NEG", 1, justUsable.minusHours(2), ""));
        released("FFP", "AB", "POS", 200, Duration.ofDays(1), "");
        Instant now = Instant.now();
        String orderId = "ORD-" + UUID.randomUUID();
        OrderSubmitted order = new OrderSubmitted(orderId, "H001", Priority.ROUTINE, null, now.plus(Duration.ofHours(24)),
                false, List.of(line(1, Component.RBC_LR, Abo.AB, RhD.NEG, 3, false),
                line(2, Component.FFP, Abo.AB, RhD.POS, 200, false)), now, "hospital-a");
        send(Events.ORDER_SUBMITTED, orderId, order, UUID.randomUUID().toString());
        AllocationMade first = allocations(orderId, 1).get(0);
        assertEquals("ALLOCATED", first.status().name());
        assertEquals(0, first.revision());
        assertEquals(rbc, dins(first, 1), "first expiry first");
        assertEquals(1, dins(first, 2).size());
        String ffp = dins(first, 2).get(0);

        // line 1 down to 2 bags, line 2 gone, line 3 new; urgent now
        OrderAmended amended = new OrderAmended(orderId, "H001", 1, Priority.URGENT, null, now.plus(Duration.ofHours(4)),
                false, List.of(line(1, Component.RBC_LR, Abo.AB, RhD.NEG, 2, false),
                line(3, Component.RBC_LR, Abo.AB, RhD.NEG, 1, false)), Instant.now(), "hospital-a");
        String amendmentId = UUID.randomUUID().toString();
        send(Events.ORDER_AMENDED, orderId, amended, amendmentId);
        AllocationMade second = allocations(orderId, 2).get(1);
        assertEquals(1, second.revision());
        assertEquals("ALLOCATED", second.status().name());
        assertEquals(List.of(1, 3), second.lines().stream().map(AllocationMade.Line::lineNo).toList());
        assertEquals(rbc.subList(0, 2), dins(second, 1), "line 1 keeps its first-expiring bags, up to its new quantity");
        assertEquals(2, second.lines().get(0).allocatedQuantity());
        assertEquals(1, second.lines().get(1).units().size());
        assertFalse(rbc.subList(0, 2).contains(dins(second, 3).get(0)), "a bag is never on two lines");
        AllocationReleased released = event(Events.ALLOCATION_RELEASED, orderId, 1).get(0);
        assertTrue(released.units().stream().map(UnitRef::din).collect(Collectors.toSet()).containsAll(Set.of(ffp, rbc.get(2))),
                "the removed line's bag and line 1's third bag went back: " + released.units());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + ffp + "/FFP").then()
                .body("status", equalTo("AVAILABLE"));
        assertEquals(3, reservedFor(orderId), "the order holds exactly its new quantities");

        // the same amendment again, and a stale one under a new event id: nothing moves
        send(Events.ORDER_AMENDED, orderId, amended, amendmentId);
        send(Events.ORDER_AMENDED, orderId, amended, UUID.randomUUID().toString());
        // now line 1 must be irradiated: its bags are not, so they go back, and the line takes only irradiated ones
        released("RBC_LR", "AB", "NEG", 1, Duration.ofDays(2), "\"irradiated\":true");
        OrderAmended again = new OrderAmended(orderId, "H001", 2, Priority.URGENT, null, amended.dueBy(), false,
                List.of(line(1, Component.RBC_LR, Abo.AB, RhD.NEG, 1, true)), Instant.now(), "dispatcher");
        send(Events.ORDER_AMENDED, orderId, again, UUID.randomUUID().toString());
        List<AllocationMade> pictures = allocations(orderId, 3);
        assertEquals(3, pictures.size(), "the duplicate and the stale amendment published nothing");
        AllocationMade third = pictures.get(2);
        assertEquals(2, third.revision());
        assertEquals(1, dins(third, 1).size());
        String irradiated = dins(third, 1).get(0);
        assertFalse(rbc.contains(irradiated));
        assertTrue(third.lines().get(0).units().get(0).attributes().irradiated(), "only a bag that meets the amended requirement");
        assertEquals(1, reservedFor(orderId));
        for (String din : rbc) {
            given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/RBC_LR").then()
                    .body("status", equalTo("AVAILABLE"));
        }

        // dispatched, an amendment arriving late changes nothing
        send(Events.ORDER_DISPATCHED, orderId, new OrderDispatched(orderId, "H001", "IN-1",
                List.of(new OrderDispatched.UnitKey(irradiated, "RBC_LR")), "dispatcher", Instant.now()),
                UUID.randomUUID().toString());
        awaitStatus(irradiated, "RBC_LR", "IN_TRANSIT");
        send(Events.ORDER_AMENDED, orderId, new OrderAmended(orderId, "H001", 3, Priority.ROUTINE, null, amended.dueBy(),
                false, List.of(line(1, Component.RBC_LR, Abo.AB, RhD.NEG, 2, false)), Instant.now(), "dispatcher"),
                UUID.randomUUID().toString());
        Thread.sleep(1500);
        assertEquals(3, allocations(orderId, 4).size(), "no allocation after dispatch");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + irradiated + "/RBC_LR").then()
                .body("status", equalTo("IN_TRANSIT"));
    }

    private static OrderLine line(int no, Component c, Abo abo, RhD rhd, int quantity, boolean irradiated) {
        return new OrderLine(no, c, abo, rhd, quantity, irradiated, false, false, List.of());
    }

    private static String released(String component, String abo, String rhd, int quantity, Duration ago, String attributes) {
        String din = newDin();
        release("{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"abo\":\"" + abo + "\",\"rhd\":\"" + rhd
                + "\",\"volumeMl\":" + (component.startsWith("F") ? quantity : quantity * 200) + ",\"quantity\":" + quantity
                + ",\"collectedAt\":\"" + Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS) + "\""
                + (attributes.isEmpty() ? "" : "," + attributes) + "}").statusCode(201);
        return din;
    }

    private <T> void send(EventType<T> type, String key, T payload, String eventId) throws Exception {
        KafkaProbe.send(Topics.ORDERS, key, mapper.writeValueAsString(payload), CloudEventHeaders.ID, eventId,
                CloudEventHeaders.TYPE, type.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0");
    }

    private List<AllocationMade> allocations(String orderId, int expected) throws Exception {
        return event(Events.ALLOCATION_MADE, orderId, expected);
    }

    private <T> List<T> event(EventType<T> type, String orderId, int expected) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS, r -> orderId.equals(r.key())
                && type.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), expected, Duration.ofSeconds(20));
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            out.add(mapper.readValue(r.value(), type.payloadClass()));
        }
        return out;
    }

    private static List<String> dins(AllocationMade made, int lineNo) {
        return made.lines().stream().filter(l -> l.lineNo() == lineNo).flatMap(l -> l.units().stream())
                .map(UnitRef::din).toList();
    }

    private int reservedFor(String orderId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select coalesce(sum(quantity), 0) from unit where order_id = ?1 and status = 'RESERVED'")
                .setParameter(1, orderId).getSingleResult()).intValue());
    }

    private static void awaitStatus(String din, String component, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String now = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/" + component)
                    .then().extract().path("status");
            if (status.equals(now)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(din + " never became " + status);
    }
}

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
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Special requirements (api.md Additions): a line is only ever given bags that meet every requirement it names; it
 * waits when there are none and takes one as soon as one exists (released or irradiated); the compatibility table's
 * low-titre rule; plasma first-expiry-first-out across RhD; no bag that expires before the hospital can use it.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class SpecialRequirementsTest {

    @Inject
    ObjectMapper mapper;

    @Inject
    jakarta.persistence.EntityManager em;

    @AfterEach
    void closeOpenLines() {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update demand_line set closed_at = now() where closed_at is null").executeUpdate());
    }

    private static String json(String din, String component, String abo, String rhd, int quantity, Instant collectedAt,
                               String attributes) {
        int volume = component.startsWith("F") ? quantity : quantity * 200;
        return "{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"abo\":\"" + abo + "\",\"rhd\":\"" + rhd
                + "\",\"volumeMl\":" + volume + ",\"quantity\":" + quantity + ",\"collectedAt\":\""
                + collectedAt.truncatedTo(ChronoUnit.SECONDS) + "\"" + (attributes.isEmpty() ? "" : "," + attributes) + "}";
    }

    private static ValidatableResponse release(String body) {
        return given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .post("/api/v1/units").then();
    }

    private static String released(String component, String abo, String rhd, int quantity, Duration ago, String attributes) {
        String din = newDin();
        release(json(din, component, abo, rhd, quantity, Instant.now().minus(ago), attributes)).statusCode(201);
        return din;
    }

    private static OrderSubmitted order(Priority priority, boolean substitution, OrderLine line) {
        Instant now = Instant.now();
        return new OrderSubmitted("ORD-" + UUID.randomUUID(), "H001", priority, null, now.plus(Duration.ofHours(4)),
                substitution, List.of(line), now, "hospital-a");
    }

    private static OrderLine line(Component c, Abo abo, RhD rhd, int quantity, boolean irradiated, boolean cmvNegative,
                                  boolean lowTitre, List<String> antigenNegative) {
        return new OrderLine(1, c, abo, rhd, quantity, irradiated, cmvNegative, lowTitre, antigenNegative);
    }

    private void send(OrderSubmitted order) throws Exception {
        KafkaProbe.send(Topics.ORDERS, order.orderId(), mapper.writeValueAsString(order), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType(),
                CloudEventHeaders.SPEC_VERSION, "1.0");
    }

    private List<AllocationMade> allocations(String orderId, int count) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaProbe.read(Topics.ALLOCATIONS, r -> orderId.equals(r.key()),
                count, Duration.ofSeconds(20));
        assertEquals(count, records.size(), count + " allocation pictures for " + orderId);
        java.util.ArrayList<AllocationMade> out = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            out.add(mapper.readValue(r.value(), AllocationMade.class));
        }
        return out;
    }

    private static List<String> dins(AllocationMade made) {
        return made.lines().get(0).units().stream().map(u -> u.din()).toList();
    }

    @Test
    void anIrradiatedEmergencyLineWaitsForAnIrradiatedBagAndTakesOneTheMomentItIsIrradiated() throws Exception {
        String ordinary = released("RBC_LR", "B", "NEG", 2, Duration.ofDays(3), "");
        String toIrradiate = released("RBC_LR", "B", "NEG", 2, Duration.ofDays(2), "");

        OrderSubmitted order = order(Priority.EMERGENCY, true, line(Component.RBC_LR, Abo.B, RhD.NEG, 2, true, false,
                false, List.of()));
        send(order);
        AllocationMade first = allocations(order.orderId(), 1).get(0);
        assertEquals("BACKORDERED", first.status().name(), "no irradiated bag: the line waits, whatever the priority");
        assertTrue(first.lines().get(0).units().isEmpty());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + ordinary + "/RBC_LR").then()
                .body("status", equalTo("AVAILABLE")).body("irradiated", equalTo(false));

        Instant irradiatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"type\":\"IRRADIATED\",\"occurredAt\":\"" + irradiatedAt + "\"}")
                .post("/api/v1/units/" + toIrradiate + "/RBC_LR/events").then().statusCode(201)
                .body("irradiated", equalTo(true))
                .body("expiresAt", equalTo(irradiatedAt.plus(Duration.ofDays(14)).toString()))
                .body("history.type", hasItems("RECEIVED", "IRRADIATED"));
        AllocationMade second = allocations(order.orderId(), 2).get(1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("irradiated EMERGENCY line: BACKORDERED, then allocated %d ms after the irradiation call%n", millis);
        assertEquals("ALLOCATED", second.status().name());
        assertEquals(List.of(toIrradiate), dins(second));
        assertTrue(second.lines().get(0).units().get(0).attributes().irradiated(), "the event shows the attribute");
        assertTrue(millis < 5_000, "allocated within seconds of the irradiation, took " + millis + " ms");

        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"type\":\"IRRADIATED\",\"occurredAt\":\"" + irradiatedAt + "\"}")
                .post("/api/v1/units/" + toIrradiate + "/RBC_LR/events").then().statusCode(409)
                .body("code", equalTo("ALREADY_IRRADIATED"));
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"type\":\"IRRADIATED\",\"occurredAt\":\"" + irradiatedAt + "\"}")
                .post("/api/v1/units/" + released("FFP", "B", "NEG", 200, Duration.ofDays(3), "") + "/FFP/events")
                .then().statusCode(422).body("code", equalTo("ATTRIBUTE_NOT_APPLICABLE"));
    }

    @Test
    void aLineAskingCmvNegativeAndKNegativeGetsOnlyABagThatIsBoth() throws Exception {
        String cmvOnly = released("RBC_LR", "AB", "NEG", 2, Duration.ofDays(10), "\"cmvNegative\":true");
        String kOnly = released("RBC_LR", "AB", "NEG", 2, Duration.ofDays(9), "\"antigenNegative\":[\"K\"]");
        String both = released("RBC_LR", "AB", "NEG", 2, Duration.ofDays(1),
                "\"cmvNegative\":true,\"antigenNegative\":[\"Fya\",\"K\"],\"productCode\":\"E0336\"");
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + both + "/RBC_LR").then()
                .body("cmvNegative", equalTo(true)).body("antigenNegative", equalTo(List.of("Fya", "K")))
                .body("productCode", equalTo("E0336")).body("irradiated", equalTo(false));

        OrderSubmitted order = order(Priority.URGENT, false, line(Component.RBC_LR, Abo.AB, RhD.NEG, 2, false, true,
                false, List.of("K")));
        send(order);
        AllocationMade made = allocations(order.orderId(), 1).get(0);
        assertEquals("ALLOCATED", made.status().name());
        assertEquals(List.of(both), dins(made), "the earlier-expiring bags lack one requirement each: "
                + cmvOnly + " is not K-negative, " + kOnly + " is not CMV-negative");
    }

    @Test
    void plateletsOfAnotherGroupGoToAnAPatientOnlyAsLowTitreBags() throws Exception {
        String ordinaryO = released("PLT_AP", "O", "POS", 1, Duration.ofHours(30), "");
        String lowTitreO = released("PLT_AP", "O", "POS", 1, Duration.ofHours(20), "\"lowTitre\":true");

        OrderSubmitted order = order(Priority.URGENT, true, line(Component.PLT_AP, Abo.A, RhD.POS, 1, false, false,
                false, List.of()));
        send(order);
        AllocationMade made = allocations(order.orderId(), 1).get(0);
        assertEquals(List.of(lowTitreO), dins(made), "group O platelets go to an A patient only when low-titre; "
                + ordinaryO + " expires first but is not");
    }

    @Test
    void plasmaIsFirstExpiryFirstOutAcrossRhd() throws Exception {
        String otherRhdEarlier = released("FFP", "B", "NEG", 200, Duration.ofDays(200), "");
        released("FFP", "B", "POS", 200, Duration.ofDays(10), "");

        OrderSubmitted order = order(Priority.ROUTINE, true, line(Component.FFP, Abo.B, RhD.POS, 200, false, false,
                false, List.of()));
        send(order);
        assertEquals(List.of(otherRhdEarlier), dins(allocations(order.orderId(), 1).get(0)),
                "plasma needs no RhD match: the earlier expiry goes first");
    }

    @Test
    void aBagThatWouldExpireSoonAfterTheOrderIsDueIsNotSent() throws Exception {
        // washed red cells keep 24 h: one with 5 h left would arrive (due in 4 h) with one hour to use it
        released("RBC_W", "O", "NEG", 1, Duration.ofHours(19), "");
        String fresh = released("RBC_W", "O", "NEG", 1, Duration.ofHours(2), "");

        OrderSubmitted order = order(Priority.EMERGENCY, false, line(Component.RBC_W, Abo.O, RhD.NEG, 1, false, false,
                false, List.of()));
        send(order);
        assertEquals(List.of(fresh), dins(allocations(order.orderId(), 1).get(0)));
    }

    @Test
    void attributesAreRefusedWhenMalformedUnknownOrImpossibleAndNothingIsReleased() {
        Instant collected = Instant.now().minus(Duration.ofDays(1));
        String din = newDin();
        release(json(din, "RBC_LR", "O", "POS", 2, collected, "\"antigenNegative\":[\"Kell\"]")).statusCode(422)
                .body("code", equalTo("ANTIGEN_UNKNOWN"));
        release(json(din, "RBC_LR", "O", "POS", 2, collected, "\"productCode\":\"E336\"")).statusCode(422)
                .body("code", equalTo("PRODUCT_CODE_INVALID"));
        release(json(din, "FFP", "O", "POS", 200, collected, "\"irradiated\":true")).statusCode(422)
                .body("code", equalTo("ATTRIBUTE_NOT_APPLICABLE"));
        release(json(din, "PLT_AP", "O", "POS", 1, collected, "\"antigenNegative\":[\"K\"]")).statusCode(422)
                .body("code", equalTo("ATTRIBUTE_NOT_APPLICABLE"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din).then().statusCode(404);
    }

    @Test
    void everyDivisionOfASplitUnitCanBeTracedOnItsOwn() {
        String din = newDin();
        Instant collected = Instant.now().minus(Duration.ofHours(10));
        release(json(din, "PLT_AP", "A", "POS", 1, collected, "\"division\":\"A\"")).statusCode(201);
        release(json(din, "PLT_AP", "A", "POS", 1, collected, "\"division\":\"B\",\"lowTitre\":true")).statusCode(201);
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("division", "B")
                .get("/api/v1/units/" + din + "/PLT_AP").then().statusCode(200)
                .body("division", equalTo("B")).body("lowTitre", equalTo(true)).body("history.type", hasItems("RECEIVED"));
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("division", "A")
                .get("/api/v1/units/" + din + "/PLT_AP").then().statusCode(200)
                .body("division", equalTo("A")).body("lowTitre", equalTo(false));
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("division", "C")
                .get("/api/v1/units/" + din + "/PLT_AP").then().statusCode(404);
    }

    private static OrderSubmitted orderFor(String location, Priority priority, boolean substitution, OrderLine line) {
        Instant now = Instant.now();
        return new OrderSubmitted("ORD-" + UUID.randomUUID(), location, priority, null, now.plus(Duration.ofHours(4)),
                substitution, List.of(line), now, "hospital");
    }

    /** The item of {@code orderId} in GET /alerts/waiting as {@code token} sees it, or null. */
    private static java.util.Map<String, Object> waitingItem(String token, String orderId) {
        List<java.util.Map<String, Object>> items = given().auth().oauth2(token).get("/api/v1/alerts/waiting").then()
                .statusCode(200).body("asOf", org.hamcrest.Matchers.notNullValue()).extract().jsonPath()
                .getList("items");
        return items.stream().filter(i -> orderId.equals(i.get("orderId"))).findFirst().orElse(null);
    }

    @Test
    void anEmergencyLineWaitingForAnIrradiatedBagIsShownToDispatchUntilABagIsIrradiatedAndGiven() throws Exception {
        String ordinary = released("RBC", "A", "NEG", 2, Duration.ofDays(3), "");
        released("RBC", "A", "NEG", 1, Duration.ofDays(4), "\"cmvNegative\":true");
        released("RBC", "A", "NEG", 1, Duration.ofDays(4), "\"antigenNegative\":[\"K\"]");

        OrderSubmitted emergency = orderFor("H001", Priority.EMERGENCY, false,
                line(Component.RBC, Abo.A, RhD.NEG, 2, true, false, false, List.of()));
        OrderSubmitted urgent = orderFor("H002", Priority.URGENT, false,
                line(Component.RBC, Abo.A, RhD.NEG, 1, false, true, false, List.of("K")));
        OrderSubmitted routine = orderFor("H001", Priority.ROUTINE, false,
                line(Component.RBC, Abo.A, RhD.NEG, 1, true, false, false, List.of()));
        send(emergency);
        send(urgent);
        send(routine);
        assertEquals("BACKORDERED", allocations(emergency.orderId(), 1).get(0).status().name());
        assertEquals("BACKORDERED", allocations(urgent.orderId(), 1).get(0).status().name());
        assertEquals("BACKORDERED", allocations(routine.orderId(), 1).get(0).status().name());

        java.util.Map<String, Object> e = waitingItem(TestTokens.dispatcher(), emergency.orderId());
        assertTrue(e != null, "the EMERGENCY line waiting for an irradiated bag is listed");
        assertEquals("H001", e.get("locationId"));
        assertEquals("EMERGENCY", e.get("priority"));
        assertEquals("RBC", e.get("component"));
        assertEquals("A", e.get("abo"));
        assertEquals("NEG", e.get("rhd"));
        assertEquals("U", e.get("uom"));
        assertEquals(2, e.get("waitingQuantity"));
        assertEquals(0, e.get("allocatedQuantity"));
        assertEquals(true, e.get("irradiated"));
        assertEquals(List.of("irradiated"), e.get("unmet"));
        assertTrue(((Number) e.get("bagsInStock")).intValue() >= 3, "the A- red cells that could be irradiated: " + e);
        assertEquals(emergency.submittedAt().truncatedTo(ChronoUnit.SECONDS),
                Instant.parse((String) e.get("since")).truncatedTo(ChronoUnit.SECONDS));

        java.util.Map<String, Object> u = waitingItem(TestTokens.dispatcher(), urgent.orderId());
        assertTrue(u != null, "the URGENT line is listed too");
        assertEquals(List.of("cmvNegative", "antigenNegative K"), u.get("unmet"),
                "a CMV-negative bag and a K-negative bag exist, but none is both: both requirements are named");
        assertEquals(null, waitingItem(TestTokens.dispatcher(), routine.orderId()), "ROUTINE lines are not alerts");

        // tenancy: a hospital sees its own waiting lines only, and may not name another location
        assertTrue(waitingItem(TestTokens.hospital("H001"), emergency.orderId()) != null);
        assertEquals(null, waitingItem(TestTokens.hospital("H001"), urgent.orderId()));
        assertEquals(null, waitingItem(TestTokens.his("H002"), emergency.orderId()));
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/alerts/waiting?locationId=H001").then()
                .statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts/waiting?locationId=H002").then()
                .statusCode(200).body("items.orderId", hasItems(urgent.orderId()))
                .body("items.orderId", org.hamcrest.Matchers.not(hasItems(emergency.orderId())));

        // a bag is irradiated: the EMERGENCY line takes it (first in the queue) and leaves the list; the other stays
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"type\":\"IRRADIATED\",\"occurredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}")
                .post("/api/v1/units/" + ordinary + "/RBC/events").then().statusCode(201);
        AllocationMade filled = allocations(emergency.orderId(), 2).get(1);
        assertEquals("ALLOCATED", filled.status().name());
        assertEquals(List.of(ordinary), dins(filled));
        assertEquals(null, waitingItem(TestTokens.dispatcher(), emergency.orderId()), "a filled line is no alert");
        assertTrue(waitingItem(TestTokens.dispatcher(), urgent.orderId()) != null, "still nothing CMV- and K-negative");

        // the other order is cancelled: its line closes and leaves the list
        KafkaProbe.send(Topics.ORDERS, urgent.orderId(), mapper.writeValueAsString(new io.hemolink.contracts.events
                        .order.OrderCancelled(urgent.orderId(), "H002", "patient transferred", "hospital-b", Instant.now())),
                CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE,
                Events.ORDER_CANCELLED.ceType(), CloudEventHeaders.SPEC_VERSION, "1.0");
        long deadline = System.currentTimeMillis() + 20_000;
        while (waitingItem(TestTokens.dispatcher(), urgent.orderId()) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(null, waitingItem(TestTokens.dispatcher(), urgent.orderId()), "a cancelled order's line is no alert");
    }
}

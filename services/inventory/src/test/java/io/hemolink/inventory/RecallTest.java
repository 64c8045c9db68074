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
import io.hemolink.contracts.events.inventory.RecallIssued;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recall (lookback): one call quarantines a donation wherever it is; each holder sees and acknowledges its own units. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class RecallTest {

    @Inject
    ObjectMapper mapper;

    private static void release(String din, String component, String abo, String rhd, int quantity, String location) {
        String collected = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        UnitsApiTest.release(UnitsApiTest.unitJson(din, component, abo, rhd, quantity, collected)
                .replace("}", location == null ? "}" : ",\"locationId\":\"" + location + "\"}")).statusCode(201);
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }

    @Test
    void aRecallQuarantinesADonationEverywhereAndEachHolderSeesAndAcknowledgesItsOwn() throws Exception {
        String din = newDin();
        release(din, "RBC_LR", "AB", "NEG", 2, null);   // at the station
        release(din, "FFP", "AB", "NEG", 200, "H002"); // at a hospital
        release(din, "PLT_AP", "AB", "NEG", 1, null);  // reserved for an order below
        release(din, "CRYO", "AB", "NEG", 1, "H001");  // transfused at H001
        as(TestTokens.hospital("H001")).body("{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-555\",\"occurredAt\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}")
                .post("/api/v1/units/" + din + "/CRYO/events").then().statusCode(201);
        OrderSubmitted order = new OrderSubmitted("ORD-" + UUID.randomUUID(), "H001", Priority.URGENT, null,
                Instant.now().plus(Duration.ofHours(4)), false,
                List.of(new OrderLine(1, Component.PLT_AP, Abo.AB, RhD.NEG, 1, false, false, false, List.of())),
                Instant.now(), "hospital-a");
        KafkaProbe.send(Topics.ORDERS, order.orderId(), mapper.writeValueAsString(order), CloudEventHeaders.ID,
                UUID.randomUUID().toString(), CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType());
        List<ConsumerRecord<String, String>> pictures = KafkaProbe.read(Topics.ALLOCATIONS,
                r -> order.orderId().equals(r.key()), 1, Duration.ofSeconds(20));
        assertEquals(din, mapper.readValue(pictures.get(0).value(), AllocationMade.class).lines().get(0).units().get(0).din());

        as(TestTokens.hospital("H001")).body("{\"din\":\"" + din + "\",\"reason\":\"donor seroconverted\"}")
                .post("/api/v1/recalls").then().statusCode(403);
        long start = System.nanoTime();
        Response issued = as(TestTokens.token("qa-1", "STATION", "station-qa"))
                .body("{\"din\":\"" + din + "\",\"reason\":\"donor seroconverted\"}").post("/api/v1/recalls");
        long millis = (System.nanoTime() - start) / 1_000_000;
        issued.then().statusCode(201).body("din", equalTo(din)).body("createdBy", equalTo("qa-1"))
                .body("units.component", containsInAnyOrder("RBC_LR", "FFP", "PLT_AP", "CRYO"))
                .body("units.find { it.component == 'PLT_AP' }.statusBefore", equalTo("RESERVED"))
                .body("units.find { it.component == 'PLT_AP' }.status", equalTo("QUARANTINED"))
                .body("units.find { it.component == 'FFP' }.locationId", equalTo("H002"))
                .body("units.find { it.component == 'FFP' }.status", equalTo("QUARANTINED"))
                .body("units.find { it.component == 'RBC_LR' }.status", equalTo("QUARANTINED"))
                .body("units.find { it.component == 'CRYO' }.status", equalTo("TRANSFUSED"))
                .body("units.find { it.component == 'CRYO' }.patientRef", nullValue());
        String id = issued.path("id");
        System.out.printf("recall of 4 components (station, hospital, reserved, transfused): quarantined within the"
                + " call, %d ms%n", millis);
        assertTrue(millis < 1000, "a recall reaches every holder within a second, took " + millis + " ms");

        // the order no longer shows the recalled bag
        pictures = KafkaProbe.read(Topics.ALLOCATIONS, r -> order.orderId().equals(r.key()), 2, Duration.ofSeconds(20));
        assertTrue(mapper.readValue(pictures.get(1).value(), AllocationMade.class).lines().get(0).units().stream()
                .noneMatch(u -> u.din().equals(din)));
        RecallIssued event = mapper.readValue(KafkaProbe.read(Topics.UNITS, r -> din.equals(r.key())
                && Events.RECALL_ISSUED.ceType().equals(KafkaProbe.header(r, CloudEventHeaders.TYPE)), 1,
                Duration.ofSeconds(20)).get(0).value(), RecallIssued.class);
        assertEquals(4, event.units().size());
        assertTrue(!KafkaProbe.read(Topics.UNITS, r -> din.equals(r.key()), 100, Duration.ofSeconds(2)).toString()
                .contains("MRN-555"), "no patient reference in the events");

        // each holder sees only its own units; the transfusing hospital sees its patient reference
        as(TestTokens.hospital("H002")).get("/api/v1/recalls/" + id).then().statusCode(200)
                .body("units.component", contains("FFP"));
        as(TestTokens.his("H001")).get("/api/v1/recalls/" + id).then().statusCode(200)
                .body("units.component", contains("CRYO")).body("units[0].patientRef", equalTo("MRN-555"));
        as(TestTokens.hospital("H003")).get("/api/v1/recalls/" + id).then().statusCode(404);
        as(TestTokens.hospital("H002")).get("/api/v1/recalls").then().statusCode(200).body("items.id", hasItem(id));

        // acknowledgements: the holder's own units only, once
        as(TestTokens.hospital("H002")).body("{\"din\":\"" + din + "\",\"component\":\"RBC_LR\"}")
                .post("/api/v1/recalls/" + id + "/acknowledgements").then().statusCode(404);
        as(TestTokens.hospital("H002")).body("{\"din\":\"" + din + "\",\"component\":\"FFP\"}")
                .post("/api/v1/recalls/" + id + "/acknowledgements").then().statusCode(200)
                .body("units[0].acknowledgedBy", equalTo("hospital-h002")).body("units[0].acknowledgedAt", notNullValue());
        as(TestTokens.dispatcher()).get("/api/v1/recalls/" + id).then().statusCode(200)
                .body("units.find { it.component == 'FFP' }.acknowledgedAt", notNullValue())
                .body("units.find { it.component == 'RBC_LR' }.acknowledgedAt", nullValue());

        as(TestTokens.token("qa-1", "STATION", "station-qa")).body("{\"din\":\"G123499999999X\",\"reason\":\"x\"}")
                .post("/api/v1/recalls").then().statusCode(422).body("code", equalTo("DIN_INVALID"));
        as(TestTokens.token("qa-1", "STATION", "station-qa")).body("{\"din\":\"" + newDin() + "\",\"reason\":\"x\"}")
                .post("/api/v1/recalls").then().statusCode(404);
    }
}

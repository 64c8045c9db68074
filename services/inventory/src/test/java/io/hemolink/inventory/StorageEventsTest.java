package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.EventType;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.contracts.events.storage.QuarantineDecided;
import io.hemolink.contracts.events.storage.TransferRequested;
import io.hemolink.contracts.events.storage.UnitIssued;
import io.hemolink.contracts.events.storage.UnitPlaced;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage-point service's contract events applied through the ledger, over real Kafka and PostgreSQL. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class StorageEventsTest {

    @Inject
    ObjectMapper mapper;

    private static String atLocation(String component, String location) {
        String din = newDin();
        release(unitJson(din, component, "A", "POS", 1, yesterday()).replace("}", ",\"locationId\":\"" + location + "\"}"))
                .statusCode(201);
        return din;
    }

    private <T> void send(EventType<T> type, String key, T payload, String eventId) throws Exception {
        KafkaProbe.send(type.topic(), key, mapper.writeValueAsString(payload), CloudEventHeaders.ID, eventId,
                CloudEventHeaders.TYPE, type.ceType());
    }

    private static JsonPath unit(String din, String component) {
        return given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/" + component).then()
                .statusCode(200).extract().jsonPath();
    }

    private static JsonPath await(String din, String component, Predicate<JsonPath> ready) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonPath now = unit(din, component);
        while (!ready.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = unit(din, component);
        }
        return now;
    }

    @Test
    void anExcursionQuarantinesOnlyTheUnitsAtThePointAndQaDecides() throws Exception {
        String kept = atLocation("RBC_LR", "SP01");
        String discarded = atLocation("RBC_LR", "SP01");
        String elsewhere = atLocation("RBC_LR", "H001");
        String excursion = UUID.randomUUID().toString();
        ExcursionDetected detected = new ExcursionDetected(excursion, "SP01", "SP01-F1", Instant.now().minusSeconds(3600),
                1.0, 9.5, List.of(new ExcursionDetected.UnitKey(kept, "RBC_LR"),
                new ExcursionDetected.UnitKey(discarded, "RBC_LR"), new ExcursionDetected.UnitKey(elsewhere, "RBC_LR")),
                Instant.now());
        String eventId = UUID.randomUUID().toString();
        send(Events.EXCURSION_DETECTED, "SP01", detected, eventId);
        send(Events.EXCURSION_DETECTED, "SP01", detected, eventId);

        JsonPath q = await(kept, "RBC_LR", u -> "QUARANTINED".equals(u.getString("status")));
        assertEquals("QUARANTINED", q.getString("status"));
        assertTrue(q.getString("history[-1].detail").contains(excursion), q.getString("history[-1].detail"));
        assertEquals(2, q.getList("history").size(), "released, quarantined once although delivered twice");
        assertEquals("QUARANTINED", await(discarded, "RBC_LR", u -> "QUARANTINED".equals(u.getString("status")))
                .getString("status"));
        assertEquals("AVAILABLE", unit(elsewhere, "RBC_LR").getString("status"), "a unit at H001 is not the point's");

        send(Events.QUARANTINE_DECIDED, "SP01", new QuarantineDecided("SP01", QuarantineDecided.Decision.RELEASE,
                List.of(new ExcursionDetected.UnitKey(kept, "RBC_LR")), "qa-officer", Instant.now()), UUID.randomUUID().toString());
        send(Events.QUARANTINE_DECIDED, "SP01", new QuarantineDecided("SP01", QuarantineDecided.Decision.DISCARD,
                List.of(new ExcursionDetected.UnitKey(discarded, "RBC_LR")), "qa-officer", Instant.now()), UUID.randomUUID().toString());
        assertEquals("AVAILABLE", await(kept, "RBC_LR", u -> "AVAILABLE".equals(u.getString("status"))).getString("status"));
        JsonPath gone = await(discarded, "RBC_LR", u -> "DISCARDED".equals(u.getString("status")));
        assertEquals("DISCARDED", gone.getString("status"));
        assertEquals("qa-officer", gone.getString("history[-1].actor"));
        assertEquals("TEMPERATURE", gone.getString("history[-1].reasonCode"));
    }

    @Test
    void aUnitTheRulesRefuseIsLeftAloneAndTheRestOfTheEventStillApplies() throws Exception {
        String finalUnit = atLocation("RBC_LR", "SP01");
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"type\":\"DISCARDED\",\"reasonCode\":\"BROKEN\",\"reason\":\"bag damaged\",\"occurredAt\":\"" + Instant.now() + "\"}")
                .post("/api/v1/units/" + finalUnit + "/RBC_LR/events").then().statusCode(201);
        String available = atLocation("RBC_LR", "SP01");
        String excursion = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        // the discarded unit comes first: its refusal (UNIT_FINAL) must not roll back the quarantine after it
        send(Events.EXCURSION_DETECTED, "SP01", new ExcursionDetected(excursion, "SP01", "SP01-F1",
                Instant.now().minusSeconds(3600), 1.0, 9.5, List.of(new ExcursionDetected.UnitKey(finalUnit, "RBC_LR"),
                new ExcursionDetected.UnitKey(available, "RBC_LR")), Instant.now()), eventId);

        assertEquals("QUARANTINED", await(available, "RBC_LR", u -> "QUARANTINED".equals(u.getString("status")))
                .getString("status"));
        assertEquals("DISCARDED", unit(finalUnit, "RBC_LR").getString("status"));
        assertEquals(0, KafkaProbe.read(Topics.deadLetter(Topics.STORAGE_EVENTS),
                r -> eventId.equals(KafkaProbe.header(r, CloudEventHeaders.ID)), 1, Duration.ofSeconds(3)).size(),
                "the event was applied, not dead-lettered");
    }

    @Test
    void transfersPlacementsAndIssuesMoveTheUnit() throws Exception {
        String din = atLocation("PLT_AP", "STATION");
        String transfer = UUID.randomUUID().toString();
        send(Events.TRANSFER_REQUESTED, transfer, new TransferRequested(transfer,
                List.of(new ExcursionDetected.UnitKey(din, "PLT_AP")), "STATION", "SP01", "SP01-P1", "dispatcher",
                Instant.now()), UUID.randomUUID().toString());
        JsonPath moved = await(din, "PLT_AP", u -> "SP01".equals(u.getString("locationId")));
        assertEquals("SP01", moved.getString("locationId"));
        assertEquals("SP01-P1", moved.getString("equipmentId"));
        assertEquals("TRANSFERRED", moved.getString("history[-1].type"));

        send(Events.UNIT_PLACED, "SP01", new UnitPlaced("SP01", din, "PLT_AP", "SP01-P2", Instant.now()),
                UUID.randomUUID().toString());
        assertEquals("SP01-P2", await(din, "PLT_AP", u -> "SP01-P2".equals(u.getString("equipmentId")))
                .getString("equipmentId"));

        send(Events.UNIT_ISSUED, "SP01", new UnitIssued(UUID.randomUUID().toString(), "SP01", din, "PLT_AP", "MRN-7781",
                "sp-operator", Instant.now()), UUID.randomUUID().toString());
        JsonPath issued = await(din, "PLT_AP", u -> "TRANSFUSED".equals(u.getString("status")));
        assertEquals("TRANSFUSED", issued.getString("status"));
        assertEquals("sp-operator", issued.getString("history[-1].actor"));
    }
}

package io.hemolink.inventory;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.domain.ExpirySweep;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fates and holds recorded by the holder or the station, and the expiry sweep, through the ledger. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class UnitFatesTest {

    @Inject
    ExpirySweep sweep;

    private static String atH001(String component, String abo, String rhd) {
        String din = newDin();
        release(unitJson(din, component, abo, rhd, 1, yesterday()).replace("}", ",\"locationId\":\"H001\"}")).statusCode(201);
        return din;
    }

    private static ValidatableResponse fate(String token, String din, String component, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .post("/api/v1/units/" + din + "/" + component + "/events").then();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Test
    void theHolderRecordsATransfusionOnceAndStockFollows() {
        String din = atH001("RBC", "A", "NEG");
        int before = bags("H001", "RBC", "A", "NEG");
        fate(TestTokens.hospital("H001"), din, "RBC",
                "{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-0042\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(201).body("status", equalTo("TRANSFUSED")).body("history.type", hasItem("TRANSFUSED"));
        assertEquals(before - 1, bags("H001", "RBC", "A", "NEG"));

        fate(TestTokens.hospital("H001"), din, "RBC",
                "{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-0042\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(409).body("code", equalTo("UNIT_FINAL"));
    }

    @Test
    void transfusionsMakeDaysOfSupplyFromTheRollingAverage() {
        List<String> dins = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String din = newDin();
            release(unitJson(din, "RBC_LR", "AB", "NEG", 1, yesterday()).replace("}", ",\"locationId\":\"H003\"}"))
                    .statusCode(201);
            dins.add(din);
        }
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock?locationId=H003&component=RBC_LR&abo=AB&rhd=NEG")
                .then().body("items[0].daysOfSupply", equalTo(null)).body("items[0].level", equalTo(null));
        fate(TestTokens.dispatcher(), dins.get(0), "RBC_LR",
                "{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-7\",\"occurredAt\":\"" + now() + "\"}").statusCode(201);
        // 2 U left, 1 U issued in the 28-day window: 2 / (1/28) = 56 days
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock?locationId=H003&component=RBC_LR&abo=AB&rhd=NEG")
                .then().body("items[0].quantity", equalTo(2)).body("items[0].daysOfSupply", equalTo(56.0f))
                .body("items[0].level", equalTo("GREEN"));
    }

    @Test
    void anotherHospitalCannotTouchTheUnit() {
        String din = atH001("RBC", "B", "NEG");
        fate(TestTokens.hospital("H002"), din, "RBC",
                "{\"type\":\"DISCARDED\",\"reasonCode\":\"BROKEN\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(404).body("code", equalTo("NOT_FOUND"));
        fate(TestTokens.his("H002"), din, "RBC",
                "{\"type\":\"TRANSFUSED\",\"patientRef\":\"x\",\"occurredAt\":\"" + now() + "\"}").statusCode(404);
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/units/" + din + "/RBC").then()
                .body("status", equalTo("AVAILABLE"));
    }

    @Test
    void aTransfusionNamesAPatientReferenceButNeverAnIdNumber() {
        String din = atH001("PLT_AP", "O", "NEG");
        fate(TestTokens.hospital("H001"), din, "PLT_AP", "{\"type\":\"TRANSFUSED\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("PATIENT_REF_REQUIRED"));
        fate(TestTokens.hospital("H001"), din, "PLT_AP",
                "{\"type\":\"TRANSFUSED\",\"patientRef\":\"11010519491231002X\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("PATIENT_REF_IS_ID_NUMBER"));
        fate(TestTokens.hospital("H001"), din, "PLT_AP", "{\"type\":\"LOST\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("INVALID_VALUE"));
        fate(TestTokens.hospital("H001"), din, "PLT_AP", "{\"type\":\"DISCARDED\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("REASON_CODE_REQUIRED"));
        fate(TestTokens.hospital("H001"), din, "PLT_AP",
                "{\"type\":\"DISCARDED\",\"reasonCode\":\"LOST_IN_LIFT\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("INVALID_VALUE"));
        fate(TestTokens.hospital("H001"), din, "PLT_AP",
                "{\"type\":\"DISCARDED\",\"reasonCode\":\"OTHER\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("REASON_REQUIRED"));
        fate(TestTokens.hospital("H001"), din, "PLT_AP",
                "{\"type\":\"TRANSFUSED\",\"patientRef\":\"MRN-9\",\"reasonCode\":\"BROKEN\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(422).body("code", equalTo("REASON_CODE_NOT_APPLICABLE"));
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/units/" + din + "/PLT_AP").then()
                .body("status", equalTo("AVAILABLE")).body("history.size()", equalTo(1));
    }

    @Test
    void quarantineTakesStockOutAndOnlyStationQaReleasesIt() {
        String din = atH001("FFP", "AB", "NEG");
        int before = bags("H001", "FFP", "AB", "NEG");
        fate(TestTokens.hospital("H001"), din, "FFP",
                "{\"type\":\"QUARANTINED\",\"reason\":\"fridge alarm\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(201).body("status", equalTo("QUARANTINED"));
        assertEquals(before - 1, bags("H001", "FFP", "AB", "NEG"));

        fate(TestTokens.hospital("H001"), din, "FFP", "{\"type\":\"RELEASED\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(403);
        fate(TestTokens.hospital("H001"), din, "FFP",
                "{\"type\":\"DISCARDED\",\"reasonCode\":\"QUALITY\",\"reason\":\"unsure\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(403);
        fate(TestTokens.dispatcher(), din, "FFP", "{\"type\":\"RELEASED\",\"reason\":\"log reviewed\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(201).body("status", equalTo("AVAILABLE")).body("locationId", equalTo("H001"));
        assertEquals(before, bags("H001", "FFP", "AB", "NEG"));
    }

    @Test
    void expiredBagsAreSweptOutOfStockThroughTheLedger() throws Exception {
        String din = newDin();
        String expires = Instant.now().plusSeconds(2).toString();
        release(unitJson(din, "RBC_W", "O", "NEG", 1, yesterday()).replace("}", ",\"expiresAt\":\"" + expires + "\"}"))
                .statusCode(201);
        int before = bags("STATION", "RBC_W", "O", "NEG");
        Thread.sleep(2500);
        // the scheduled sweep may have got there first; either way the bag is expired through the ledger
        sweep.sweep(Instant.now());
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/RBC_W").then()
                .body("status", equalTo("EXPIRED")).body("history[-1].type", equalTo("EXPIRED"))
                .body("history[-1].actor", equalTo("system:expiry-sweep"));
        assertEquals(before - 1, bags("STATION", "RBC_W", "O", "NEG"));
        fate(TestTokens.dispatcher(), din, "RBC_W", "{\"type\":\"TRANSFUSED\",\"patientRef\":\"p\",\"occurredAt\":\"" + now() + "\"}")
                .statusCode(409).body("code", equalTo("UNIT_FINAL"));
    }

    @Test
    void bagsEnteringTheLast72HoursAreCountedAsTimePasses() {
        String din = newDin();
        // a bag with four days left is not expiring soon; three days later (a clock moved forward) it is
        release(unitJson(din, "FFP_VI", "A", "NEG", 1, yesterday())
                .replace("}", ",\"expiresAt\":\"" + Instant.now().plus(4, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + "\"}"))
                .statusCode(201);
        assertEquals(0, expiringSoon("STATION", "FFP_VI", "A", "NEG"));
        sweep.recountExpiringSoon(Instant.now().plus(3, ChronoUnit.DAYS));
        assertEquals(1, expiringSoon("STATION", "FFP_VI", "A", "NEG"));
        sweep.recountExpiringSoon(Instant.now());
        assertEquals(0, expiringSoon("STATION", "FFP_VI", "A", "NEG"), "the recount also corrects the other way");
    }

    private int expiringSoon(String location, String component, String abo, String rhd) {
        List<Integer> n = given().auth().oauth2(TestTokens.dispatcher())
                .get("/api/v1/stock?locationId=" + location + "&component=" + component + "&abo=" + abo + "&rhd=" + rhd)
                .then().statusCode(200).extract().path("items.expiringWithin72h");
        return n.get(0);
    }

    private int bags(String location, String component, String abo, String rhd) {
        List<Integer> bags = given().auth().oauth2(TestTokens.dispatcher())
                .get("/api/v1/stock?locationId=" + location + "&component=" + component + "&abo=" + abo + "&rhd=" + rhd)
                .then().statusCode(200).extract().path("items.bags");
        return bags.isEmpty() ? 0 : bags.get(0);
    }
}

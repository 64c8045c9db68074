package io.hemolink.inventory;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.isbt.Din;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Releasing units into stock, reading them back, and the stock picture they make, on real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class UnitsApiTest {

    private static final AtomicInteger SEQ = new AtomicInteger(100);

    static String newDin() {
        String data = "G1234" + "26" + String.format("%06d", SEQ.incrementAndGet());
        return data + Din.checkCharacter(data);
    }

    static String unitJson(String din, String component, String abo, String rhd, int quantity, String collectedAt) {
        return "{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"abo\":\"" + abo + "\",\"rhd\":\"" + rhd
                + "\",\"volumeMl\":" + (component.startsWith("F") ? quantity : quantity * 200) + ",\"quantity\":" + quantity + ",\"collectedAt\":\"" + collectedAt + "\"}";
    }

    static String yesterday() {
        return Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static ValidatableResponse release(String body) {
        return given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .post("/api/v1/units").then();
    }

    @Test
    void releaseDefaultsExpiryAndLocationAndKeepsTheCanonicalDin() {
        String din = newDin();
        String collected = yesterday();
        release(unitJson(din.toLowerCase(), "RBC", "O", "NEG", 2, collected)).statusCode(201)
                .body("din", equalTo(din)).body("status", equalTo("AVAILABLE")).body("locationId", equalTo("STATION"))
                .body("uom", equalTo("U")).body("quantity", equalTo(2))
                .body("expiresAt", equalTo(Instant.parse(collected).plus(Duration.ofDays(35)).toString()));

        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din + "/RBC").then().statusCode(200)
                .body("history.type", contains("RECEIVED")).body("history[0].actor", equalTo("dispatcher"))
                .body("history[0].locationId", equalTo("STATION"));
    }

    @Test
    void scannedFormIsStoredCanonically() {
        String din = newDin();
        String scanned = "=" + din.substring(0, 13) + "00";
        release(unitJson(scanned, "FFP", "A", "POS", 200, yesterday())).statusCode(201).body("din", equalTo(din))
                .body("uom", equalTo("ML"));
    }

    @Test
    void componentsOfOneDonationCoexistAndARepeatIsAConflict() {
        String din = newDin();
        String collected = yesterday();
        release(unitJson(din, "RBC", "B", "POS", 2, collected)).statusCode(201);
        release(unitJson(din, "FFP", "B", "POS", 200, collected)).statusCode(201);
        release(unitJson(din, "CRYO", "B", "POS", 1, collected)).statusCode(201);
        release(unitJson(din, "RBC", "B", "POS", 2, collected)).statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("UNIT_EXISTS"));

        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din).then().statusCode(200)
                .body("units.component", containsInAnyOrder("RBC", "FFP", "CRYO"));
    }

    @Test
    void wrongCheckCharacterIsDinInvalidAndNothingIsStored() {
        String din = newDin();
        char wrong = din.charAt(13) == 'A' ? 'B' : 'A';
        String bad = din.substring(0, 13) + wrong;
        release(unitJson(bad, "RBC", "A", "POS", 1, yesterday())).statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("DIN_INVALID"))
                .body("errors.field", hasItem("din"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din).then().statusCode(404);
    }

    @Test
    void anExpiredUnitIsRefused() {
        String body = unitJson(newDin(), "PLT_AP", "A", "POS", 1, Instant.now().minus(6, ChronoUnit.DAYS).toString());
        release(body).statusCode(422).body("code", equalTo("UNIT_EXPIRED"));
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        int before = stationBags("CRYO", "AB", "NEG");
        String din = newDin();
        release("{\"din\":\"" + din + "\",").statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        release(unitJson(din, "CRYO", "C", "NEG", 1, yesterday())).statusCode(422).body("code", equalTo("INVALID_VALUE"));
        release(unitJson(din, "CRYO", "AB", "NEG", -1, yesterday())).statusCode(422)
                .body("code", equalTo("VALIDATION_FAILED")).body("errors.field", hasItem("quantity"));
        release(unitJson(din, "CRYO", "AB", "NEG", 1, "yesterday")).statusCode(422).body("code", equalTo("INVALID_VALUE"));
        release("{\"component\":\"CRYO\"}").statusCode(422).body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", hasItem("din")).body("errors.field", hasItem("collectedAt"));
        release(unitJson(din, "CRYO", "AB", "NEG", 1, yesterday()).replace("}", ",\"locationId\":\"X9\"}"))
                .statusCode(422).body("code", equalTo("LOCATION_INVALID"));
        assertEquals(before, stationBags("CRYO", "AB", "NEG"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din).then().statusCode(404);
    }

    @Test
    void onlyTheStationReleasesAndHospitalsSeeOnlyWhatTheyHold() {
        String din = newDin();
        given().auth().oauth2(TestTokens.hospital("H001")).contentType("application/json")
                .body(unitJson(din, "RBC", "O", "POS", 1, yesterday())).post("/api/v1/units").then().statusCode(403);
        release(unitJson(din, "RBC", "O", "POS", 1, yesterday())).statusCode(201);
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/units/" + din).then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        given().get("/api/v1/units/" + din).then().statusCode(401);

        String atHospital = newDin();
        release(unitJson(atHospital, "RBC", "O", "POS", 1, yesterday()).replace("}", ",\"locationId\":\"H001\"}"))
                .statusCode(201);
        given().auth().oauth2(TestTokens.his("H001")).get("/api/v1/units/" + atHospital + "/RBC").then().statusCode(200)
                .body("locationId", equalTo("H001"));
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/units/" + atHospital + "/RBC").then()
                .statusCode(404);
    }

    @Test
    void stockCountsAvailableBagsAndQuantityPerLocationAndRegion() {
        int stationBefore = stationBags("PLT_POOL", "B", "NEG");
        release(unitJson(newDin(), "PLT_POOL", "B", "NEG", 1, yesterday())).statusCode(201);
        release(unitJson(newDin(), "PLT_POOL", "B", "NEG", 2, yesterday())).statusCode(201);
        String threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        release(unitJson(newDin(), "PLT_POOL", "B", "NEG", 1, threeDaysAgo).replace("}", ",\"locationId\":\"H002\"}"))
                .statusCode(201);

        assertEquals(stationBefore + 2, stationBags("PLT_POOL", "B", "NEG"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock?component=PLT_POOL&abo=B&rhd=NEG").then()
                .statusCode(200)
                .body("items.find { it.locationId == 'H002' }.bags", equalTo(1))
                .body("items.find { it.locationId == 'REGION' }.bags", equalTo(stationBefore + 3))
                .body("items.find { it.locationId == 'STATION' }.uom", equalTo("DOSE"))
                // platelets collected three days ago (5-day shelf life) expire within 72 h
                .body("items.find { it.locationId == 'H002' }.expiringWithin72h", equalTo(1));

        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/stock?component=PLT_POOL").then().statusCode(200)
                .body("items.locationId", everyItem(is(not("STATION"))))
                .body("items.locationId", hasItem("H002")).body("items.locationId", hasItem("REGION"));
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/stock?locationId=H001").then().statusCode(403)
                .body("code", equalTo("LOCATION_NOT_YOURS")); // ADR 0020
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock?abo=Q").then().statusCode(422)
                .body("code", equalTo("INVALID_VALUE"));
    }

    @Test
    void releaseIsPublishedAsAMovementAndANewLevel() {
        String din = newDin();
        release(unitJson(din, "RBC_LR", "AB", "POS", 2, yesterday())).statusCode(201);
        List<ConsumerRecord<String, String>> moved = KafkaProbe.read(Topics.UNITS, r -> din.equals(r.key()), 1,
                Duration.ofSeconds(15));
        assertEquals(1, moved.size());
        assertEquals(Events.UNIT_MOVED.ceType(), KafkaProbe.header(moved.get(0), CloudEventHeaders.TYPE));
        assertTrue(moved.get(0).value().contains("\"movement\":\"RECEIVED\""), moved.get(0).value());

        String key = "STATION|RBC_LR|AB|POS";
        List<ConsumerRecord<String, String>> levels = KafkaProbe.read(Topics.STOCK_LEVELS, r -> key.equals(r.key()), 1,
                Duration.ofSeconds(15));
        assertTrue(!levels.isEmpty() && levels.get(levels.size() - 1).value().contains("\"uom\":\"U\""));
    }

    @Test
    void idempotencyKeyReplaysTheRelease() {
        String body = unitJson(newDin(), "FP", "O", "POS", 250, yesterday());
        String key = "release-" + SEQ.incrementAndGet();
        given().auth().oauth2(TestTokens.dispatcher()).header("Idempotency-Key", key).contentType("application/json")
                .body(body).post("/api/v1/units").then().statusCode(201);
        given().auth().oauth2(TestTokens.dispatcher()).header("Idempotency-Key", key).contentType("application/json")
                .body(body).post("/api/v1/units").then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void concurrentReleasesOfOneUnitMakeOneUnit() throws Exception {
        String body = unitJson(newDin(), "WB", "A", "NEG", 2, yesterday());
        String token = TestTokens.dispatcher();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> given().auth().oauth2(token).contentType("application/json").body(body)
                        .post("/api/v1/units").then().extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    private int stationBags(String component, String abo, String rhd) {
        List<Integer> bags = given().auth().oauth2(TestTokens.dispatcher())
                .get("/api/v1/stock?locationId=STATION&component=" + component + "&abo=" + abo + "&rhd=" + rhd)
                .then().statusCode(200).extract().path("items.bags");
        return bags.isEmpty() ? 0 : bags.get(0);
    }
}

package io.hemolink.storagepoint;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.ExcursionDetected;
import io.hemolink.contracts.events.storage.UnitPlaced;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.storagepoint.domain.TemperatureMonitor;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readings over REST, excursions that quarantine the units in the equipment, and NO_DATA, on real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class TemperatureTest {

    @Inject
    TemperatureMonitor monitor;

    private static final Instant EXPIRES = Instant.now().plus(Duration.ofDays(20));

    @Test
    void anExcursionQuarantinesEveryUnitInTheFridgeOnceEvenWhenTheBatchIsRepeated() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        String a = Sp.receive(p, Component.RBC_LR, Abo.O, RhD.POS, 2, EXPIRES);
        String b = Sp.receive(p, Component.RBC, Abo.A, RhD.NEG, 1, EXPIRES);
        String plt = Sp.receive(p, Component.PLT_AP, Abo.A, RhD.POS, 1, EXPIRES);
        JsonPath stocked = Sp.await(p, j -> Sp.bags(j) == 3);
        assertEquals(3, Sp.bags(stocked));
        List<UnitPlaced> placed = Sp.events(Events.UNIT_PLACED, p + "\"", 3, Duration.ofSeconds(15));
        assertEquals(Set.of(a + "|" + p + "-F1", b + "|" + p + "-F1", plt + "|" + p + "-P1"),
                placed.stream().map(u -> u.din() + "|" + u.equipmentId()).collect(Collectors.toSet()),
                "red cells in the fridge, platelets on the agitator");

        Instant start = Instant.now().minus(Duration.ofMinutes(60)).truncatedTo(ChronoUnit.SECONDS);
        List<String> readings = new ArrayList<>();
        for (int m = 0; m <= 55; m += 5) {
            // in range for the first 15 minutes, then 9 °C (out, not beyond the hard limit) for 40 minutes
            readings.add(Sp.reading(p + "-F1", start.plus(Duration.ofMinutes(m)), m < 15 ? 4.0 : 7.5));
            readings.add(Sp.reading(p + "-P1", start.plus(Duration.ofMinutes(m)), 22.0));
        }
        String body = Sp.batch(readings);
        JsonPath first = Sp.readings(p, op, body).statusCode(202).body("stored", equalTo(24))
                .body("excursions", hasSize(1)).extract().jsonPath();
        Sp.readings(p, op, body).statusCode(202).body("stored", equalTo(0)).body("duplicates", equalTo(24))
                .body("excursions", hasSize(0));

        JsonPath excursions = given().auth().oauth2(op).get("/api/v1/storage-points/" + p + "/excursions").then()
                .statusCode(200).body("items", hasSize(1)).extract().jsonPath();
        assertEquals(first.getString("excursions[0]"), excursions.getString("items[0].id"));
        assertEquals("DURATION", excursions.getString("items[0].reason"));
        assertEquals(start.plus(Duration.ofMinutes(15)), Instant.parse(excursions.getString("items[0].since")));
        assertEquals(Set.of(a, b), Set.copyOf(excursions.getList("items[0].unitsQuarantined.din", String.class)),
                "every unit in the fridge, none from the agitator");

        JsonPath now = Sp.point(p);
        assertEquals("EXCURSION", now.getString("equipment.find { it.id == '" + p + "-F1' }.state"));
        assertEquals("IN_RANGE", now.getString("equipment.find { it.id == '" + p + "-P1' }.state"));
        assertEquals(2, now.getList("stock.quarantinedBags", Integer.class).stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of("EXCURSION"), now.getList("activeAlerts.kind"));

        List<ExcursionDetected> published = Sp.events(Events.EXCURSION_DETECTED, p + "\"", 2, Duration.ofSeconds(8));
        assertEquals(1, published.size(), "one ExcursionDetected although the batch came twice");
        assertEquals(Set.of(a, b), published.get(0).unitsQuarantined().stream().map(ExcursionDetected.UnitKey::din)
                .collect(Collectors.toSet()));

        // back in range ends it; a reading before that end starts nothing new
        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-F1", start.plus(Duration.ofMinutes(58)), 4.5),
                Sp.reading(p + "-F1", start.plus(Duration.ofMinutes(57)), 12.0)))).statusCode(202)
                .body("excursions", hasSize(0));
        JsonPath ended = given().auth().oauth2(op).get("/api/v1/storage-points/" + p + "/excursions").then()
                .statusCode(200).body("items", hasSize(1)).extract().jsonPath();
        assertEquals(start.plus(Duration.ofMinutes(58)), Instant.parse(ended.getString("items[0].endedAt")));
        assertEquals("IN_RANGE", Sp.point(p).getString("equipment.find { it.id == '" + p + "-F1' }.state"));
    }

    @Test
    void oneReadingBeyondTheHardLimitIsAnExcursionAtOnceAndOutOfOrderReadingsCountByTheirTime() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        String ffp = Sp.receive(p, Component.FFP, Abo.AB, RhD.POS, 200, EXPIRES);
        Sp.await(p, j -> Sp.bags(j) == 1);
        Instant t = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-Z1", t, -25.0)))).statusCode(202)
                .body("excursions", hasSize(0));
        // -17 °C is out of range (≤ -18) but within the margin: not yet an excursion
        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-Z1", t.plus(Duration.ofMinutes(2)), -17.0)))).statusCode(202)
                .body("excursions", hasSize(0));
        assertEquals("OUT_OF_RANGE", Sp.point(p).getString("equipment.find { it.id == '" + p + "-Z1' }.state"));
        // -12 °C is 6 °C beyond the range: an excursion with one reading
        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-Z1", t.plus(Duration.ofMinutes(4)), -12.0)))).statusCode(202)
                .body("excursions", hasSize(1));
        JsonPath ex = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points/" + p + "/excursions")
                .then().statusCode(200).body("items", hasSize(1)).extract().jsonPath();
        assertEquals("HARD_LIMIT", ex.getString("items[0].reason"));
        assertEquals(t.plus(Duration.ofMinutes(2)), Instant.parse(ex.getString("items[0].since")), "the run began at -17 °C");
        assertEquals(List.of(ffp), ex.getList("items[0].unitsQuarantined.din"));
        assertNull(ex.get("items[0].endedAt"));

        // a late in-range reading from before the excursion started ends nothing
        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-Z1", t.plus(Duration.ofMinutes(1)), -20.0)))).statusCode(202);
        assertEquals("EXCURSION", Sp.point(p).getString("equipment.find { it.id == '" + p + "-Z1' }.state"));
        assertEquals(1, Sp.events(Events.EXCURSION_DETECTED, p + "\"", 1, Duration.ofSeconds(15)).size());
    }

    @Test
    void noReadingForTheGapIsNoDataNeverInRange() {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        Instant old = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-F1", old, 4.0)))).statusCode(202);
        JsonPath point = Sp.point(p);
        assertEquals("NO_DATA", point.getString("equipment.find { it.id == '" + p + "-F1' }.state"));
        assertEquals(old, Instant.parse(point.getString("equipment.find { it.id == '" + p + "-F1' }.noDataSince")));
        assertEquals(4.0f, point.getFloat("equipment.find { it.id == '" + p + "-F1' }.lastReading.celsius"));

        assertTrue(monitor.checkNoData(Instant.now()) >= 1);
        monitor.checkNoData(Instant.now()); // a second check raises nothing twice
        JsonPath alerts = given().auth().oauth2(op).get("/api/v1/storage-points/" + p + "/alerts?active=true").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(p + "-F1"), alerts.getList("items.findAll { it.kind == 'NO_DATA' }.equipmentId"));

        Sp.readings(p, op, Sp.batch(List.of(Sp.reading(p + "-F1", Instant.now().minusSeconds(5), 4.2)))).statusCode(202);
        assertEquals("IN_RANGE", Sp.point(p).getString("equipment.find { it.id == '" + p + "-F1' }.state"));
        given().auth().oauth2(op).get("/api/v1/storage-points/" + p + "/alerts?active=true").then().statusCode(200)
                .body("items.findAll { it.kind == 'NO_DATA' }", hasSize(0));
        given().auth().oauth2(op).get("/api/v1/storage-points/" + p + "/alerts").then().statusCode(200)
                .body("items.findAll { it.kind == 'NO_DATA' }", hasSize(1))
                .body("items.find { it.kind == 'NO_DATA' }.clearedAt", org.hamcrest.Matchers.notNullValue());
    }
}

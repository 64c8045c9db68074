package io.hemolink.storagepoint;

import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitStatus;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.inventory.MovementType;
import io.hemolink.contracts.events.storage.TransferRequested;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry, transfers and rotation proposals, tenancy, and bad input answered as problem+json changing nothing. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class RegistryTransfersAndAccessTest {

    @Inject
    DataSource db;

    private long count(String table) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theRegionsPointIsSeededAndNewOnesRegisterOnce() {
        JsonPath sp01 = Sp.point("SP01");
        assertEquals("县人民医院储血点", sp01.getString("name"));
        assertEquals("H003", sp01.getString("hostHospitalId"));
        assertEquals(List.of("SP01-F1", "SP01-P1", "SP01-Z1"), sp01.getList("equipment.id"));
        assertEquals(List.of("RBC_FRIDGE", "PLT_AGITATOR", "PLASMA_FREEZER"), sp01.getList("equipment.kind"));
        assertEquals(-18.0f, sp01.getFloat("equipment[2].maxCelsius"));
        assertEquals("NO_DATA", sp01.getString("equipment[0].state"), "never read: no data, not in range");

        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"id\":\"SP01\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP01-F9\",\"kind\":\"RBC_FRIDGE\"}]}")
                .post("/api/v1/storage-points").then().statusCode(409).body("code", equalTo("STORAGE_POINT_EXISTS"));
        String p = Sp.newPoint();
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points?limit=500").then().statusCode(200)
                .body("items.id", hasItem(p)).body("items.id", hasItem("SP01"));
        given().auth().oauth2(TestTokens.storagePointOperator(p)).get("/api/v1/storage-points").then().statusCode(200)
                .body("items.id", equalTo(List.of(p)));
        given().auth().oauth2(TestTokens.storagePointOperator("SP01")).get("/api/v1/storage-points/SP01").then()
                .statusCode(200);
        given().auth().oauth2(TestTokens.storagePointOperator("SP01")).contentType(ContentType.JSON)
                .body("{\"id\":\"SP98\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP98-F1\",\"kind\":\"RBC_FRIDGE\"}]}")
                .post("/api/v1/storage-points").then().statusCode(403);
    }

    @Test
    void anotherPointsOperatorSeesNothingOfSp01() {
        String other = Sp.newPoint();
        String token = TestTokens.storagePointOperator(other);
        given().auth().oauth2(token).get("/api/v1/storage-points/SP01").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(token).get("/api/v1/storage-points/SP01/excursions").then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/storage-points/SP01/alerts").then().statusCode(404);
        Sp.readings("SP01", token, Sp.batch(List.of(Sp.reading("SP01-F1", Instant.now(), 4.0)))).statusCode(404);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"din\":\"" + Sp.newDin() + "\",\"component\":\"RBC\",\"patientRef\":\"MRN-1\",\"patientAbo\":\"O\",\"patientRhd\":\"POS\"}")
                .post("/api/v1/storage-points/SP01/issues").then().statusCode(404);
        given().auth().oauth2(TestTokens.hospital("H003")).get("/api/v1/storage-points/SP01").then().statusCode(403);
        given().get("/api/v1/storage-points/SP01").then().statusCode(401).contentType("application/problem+json");
        // the point's own equipment only
        Sp.readings(other, token, Sp.batch(List.of(Sp.reading("SP01-F1", Instant.now(), 4.0)))).statusCode(422)
                .body("code", equalTo("READING_INVALID"));
    }

    @Test
    void badInputIsAProblemAndChangesNothing() throws Exception {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        long readings = count("temperature_reading");
        long points = count("storage_point");
        // events of this point or of the refused registration and transfer (other tests' consumers may still publish theirs)
        String ours = "outbox_event where message_key in ('" + p + "', 'SP97') or ce_type like '%transfer%'";
        long outbox = count(ours);
        String now = Instant.now().toString();
        List<String> badReadings = List.of(
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"at\":\"" + now + "\",\"celsius\":4.0}",
                "not json",
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"at\":\"yesterday\",\"celsius\":4.0}]}",
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"at\":\"2026-11-23T10:00:00\",\"celsius\":4.0}]}",
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"at\":\"" + now + "\"}]}",
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"celsius\":4.0}]}",
                "{\"readings\":[{\"at\":\"" + now + "\",\"celsius\":4.0}]}",
                "{\"readings\":[]}",
                "{}",
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"at\":\"" + now + "\",\"celsius\":\"warm\"}]}",
                "{\"readings\":[{\"equipmentId\":\"" + p + "-F1\",\"at\":\"" + now + "\",\"celsius\":400}]}",
                // one good reading and one from the future: the whole batch is refused
                "{\"readings\":[" + Sp.reading(p + "-F1", Instant.now().minusSeconds(60), 4.0) + ","
                        + Sp.reading(p + "-F1", Instant.now().plus(Duration.ofHours(2)), 4.0) + "]}");
        for (String body : badReadings) {
            Sp.readings(p, op, body).statusCode(anyOf(equalTo(400), equalTo(422)))
                    .contentType("application/problem+json").body("code", notNullValue());
        }
        List<String> badPoints = List.of(
                "{\"id\":\"SP97\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP97-F1\",\"kind\":\"FRIDGE\"}]}",
                "{\"id\":\"SP97\",\"name\":\"x\",\"hostHospitalId\":\"H003\"}",
                "{\"id\":\"X1\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP97-F1\",\"kind\":\"RBC_FRIDGE\"}]}",
                "{\"id\":\"SP97\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP97-F1\",\"kind\":\"RBC_FRIDGE\"}],"
                        + "\"parLevels\":[{\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":5,\"target\":2}]}",
                "{\"id\":\"SP97\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP97-F1\",\"kind\":\"RBC_FRIDGE\"}],"
                        + "\"parLevels\":[{\"component\":\"RBC\",\"abo\":\"Q\",\"rhd\":\"POS\",\"min\":1,\"target\":2}]}",
                "{\"id\":\"SP97\",\"name\":\"x\",\"hostHospitalId\":\"H003\",\"equipment\":[{\"id\":\"SP97-F1\",\"kind\":\"RBC_FRIDGE\"},"
                        + "{\"id\":\"SP97-F1\",\"kind\":\"RBC_FRIDGE\"}]}");
        for (String body : badPoints) {
            given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/storage-points").then().statusCode(anyOf(equalTo(400), equalTo(422)))
                    .contentType("application/problem+json").body("code", notNullValue());
        }
        List<String> badIssues = List.of(
                "{\"din\":\"G123498654321H\",\"component\":\"BLOOD\",\"patientRef\":\"M1\",\"patientAbo\":\"O\",\"patientRhd\":\"POS\"}",
                "{\"din\":\"G123498654321X\",\"component\":\"RBC\",\"patientRef\":\"M1\",\"patientAbo\":\"O\",\"patientRhd\":\"POS\"}",
                "{\"din\":\"G123498654321H\",\"component\":\"RBC\",\"patientAbo\":\"O\",\"patientRhd\":\"POS\"}",
                "{\"din\":\"G123498654321H\",\"component\":\"RBC\",\"patientRef\":\"M1\",\"patientAbo\":\"O\",\"patientRhd\":\"+\"}");
        for (String body : badIssues) {
            given().auth().oauth2(op).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/storage-points/" + p + "/issues").then().statusCode(anyOf(equalTo(400), equalTo(422)))
                    .contentType("application/problem+json").body("code", notNullValue());
        }
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"units\":[{\"din\":\"G123498654321H\",\"component\":\"RBC\"}],\"decision\":\"KEEP\"}")
                .post("/api/v1/storage-points/" + p + "/quarantine-decisions").then().statusCode(anyOf(equalTo(400), equalTo(422)))
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"units\":[{\"din\":\"G123498654321H\",\"component\":\"RBC\"}],\"fromLocationId\":\"STATION\",\"toLocationId\":\"SP99X\"}")
                .post("/api/v1/transfers").then().statusCode(anyOf(equalTo(400), equalTo(422)))
                .contentType("application/problem+json");
        assertEquals(readings, count("temperature_reading"));
        assertEquals(points, count("storage_point"));
        assertEquals(outbox, count(ours), "no event from a refused request");
    }

    @Test
    void transfersArePublishedAndNearExpiryUnitsAreProposedToTheSiteThatUsesThemMost() {
        String p = Sp.newPoint();
        String soon = Sp.receive(p, Component.RBC_LR, Abo.B, RhD.NEG, 2, Instant.now().plus(Duration.ofHours(30)));
        String notSoon = Sp.receive(p, Component.RBC_LR, Abo.B, RhD.NEG, 2, Instant.now().plus(Duration.ofDays(9)));
        Sp.await(p, j -> Sp.bags(j) == 2);
        // H002 transfused B- red cells twice, H001 once, the point never
        for (String site : List.of("H002", "H001", "H002")) {
            String din = Sp.newDin();
            Sp.send(Events.UNIT_MOVED, din, Sp.moved(din, Component.RBC_LR, Abo.B, RhD.NEG, 2, MovementType.TRANSFUSED,
                    site, site, UnitStatus.TRANSFUSED, Instant.now().plus(Duration.ofDays(3)), null));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonPath proposals;
        do {
            Sp.sleep(200);
            proposals = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/transfers/proposals").then()
                    .statusCode(200).extract().jsonPath();
        } while (proposals.getInt("items.findAll { it.din == '" + soon + "' && it.toTransfusedInWindow >= 4 }.size()") == 0
                && System.nanoTime() < deadline);
        assertEquals("H002", proposals.getString("items.find { it.din == '" + soon + "' }.toLocationId"));
        assertEquals(p, proposals.getString("items.find { it.din == '" + soon + "' }.fromLocationId"));
        assertTrue(proposals.getList("items.findAll { it.din == '" + notSoon + "' }").isEmpty(), "9 days left: not proposed");
        given().auth().oauth2(TestTokens.storagePointOperator(p)).get("/api/v1/transfers/proposals").then().statusCode(403);

        String transferId = given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"units\":[{\"din\":\"" + soon + "\",\"component\":\"RBC_LR\"}],\"fromLocationId\":\"" + p
                        + "\",\"toLocationId\":\"H002\"}")
                .post("/api/v1/transfers").then().statusCode(202).body("status", equalTo("REQUESTED"))
                .extract().path("transferId");
        TransferRequested t = Sp.events(Events.TRANSFER_REQUESTED, transferId, 1, Duration.ofSeconds(15)).get(0);
        assertEquals(p, t.fromLocationId());
        assertEquals("H002", t.toLocationId());
        assertEquals(soon, t.units().get(0).din());
        // to a point with a named piece of equipment, which must be that point's
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"units\":[{\"din\":\"" + Sp.newDin() + "\",\"component\":\"PLT_AP\"}],\"fromLocationId\":\"STATION\","
                        + "\"toLocationId\":\"" + p + "\",\"equipmentId\":\"SP01-P1\"}")
                .post("/api/v1/transfers").then().statusCode(422).body("code", equalTo("TRANSFER_INVALID"));
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"units\":[{\"din\":\"" + Sp.newDin() + "\",\"component\":\"PLT_AP\"}],\"fromLocationId\":\"STATION\","
                        + "\"toLocationId\":\"" + p + "\",\"equipmentId\":\"" + p + "-P1\"}")
                .post("/api/v1/transfers").then().statusCode(202);

        // the inventory moves the unit away: it leaves the point
        Sp.send(Events.UNIT_MOVED, soon, Sp.moved(soon, Component.RBC_LR, Abo.B, RhD.NEG, 2, MovementType.TRANSFERRED,
                p, "H002", UnitStatus.AVAILABLE, Instant.now().plus(Duration.ofHours(30)), null));
        assertEquals(1, Sp.bags(Sp.await(p, j -> Sp.bags(j) == 1)));
    }
}

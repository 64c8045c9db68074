package io.hemolink.order;

import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.order.DemandForecastUpdated;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;

import static io.hemolink.order.OrderTesting.event;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.putLocation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The locations registry and demand forecasts. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class LocationsAndDemandTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @Test
    void theStationRegistersLocationsAndEveryoneReadsThem() {
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/locations/STATION").then().statusCode(200)
                .body("kind", equalTo("STATION")).body("name", equalTo("市中心血站"));
        putLocation("H050", "{\"name\":\"市第五医院\",\"kind\":\"HOSPITAL\"}").statusCode(201).body("id", equalTo("H050"));
        putLocation("H050", "{\"name\":\"市第五人民医院\",\"kind\":\"HOSPITAL\"}").statusCode(200)
                .body("name", equalTo("市第五人民医院"));
        putLocation("SP50", "{\"name\":\"储血点\",\"kind\":\"STORAGE_POINT\",\"hostHospitalId\":\"H050\"}").statusCode(201)
                .body("hostHospitalId", equalTo("H050"));
        given().auth().oauth2(TestTokens.storagePointOperator("SP50")).get("/api/v1/locations?limit=500").then()
                .statusCode(200).body("items.id", hasItem("SP50")).body("items.id", hasItem("STATION"));

        // paging by id
        String cursor = given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/locations?limit=1").then()
                .body("items", hasSize(1)).extract().path("nextCursor");
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/locations?limit=1&cursor=" + cursor).then()
                .body("items", hasSize(1));

        // only the station registers, and ids, kinds and hosts must agree
        given().auth().oauth2(TestTokens.hospital("H050")).contentType("application/json")
                .body("{\"name\":\"x\",\"kind\":\"HOSPITAL\"}").put("/api/v1/locations/H051").then().statusCode(403);
        putLocation("H051", "{\"name\":\"x\",\"kind\":\"STORAGE_POINT\",\"hostHospitalId\":\"H050\"}").statusCode(422)
                .body("code", equalTo("LOCATION_KIND_MISMATCH"));
        putLocation("SP51", "{\"name\":\"x\",\"kind\":\"STORAGE_POINT\"}").statusCode(422)
                .body("code", equalTo("HOST_HOSPITAL_REQUIRED"));
        putLocation("SP51", "{\"name\":\"x\",\"kind\":\"STORAGE_POINT\",\"hostHospitalId\":\"H777\"}").statusCode(422)
                .body("code", equalTo("HOST_HOSPITAL_UNKNOWN"));
        putLocation("H051", "{\"name\":\"x\",\"kind\":\"HOSPITAL\",\"hostHospitalId\":\"H050\"}").statusCode(422)
                .body("code", equalTo("HOST_HOSPITAL_NOT_ALLOWED"));
        putLocation("X1", "{\"name\":\"x\",\"kind\":\"HOSPITAL\"}").statusCode(422).body("code", equalTo("LOCATION_ID_INVALID"));
        putLocation("H051", "{\"name\":\"x\",\"kind\":\"CLINIC\"}").statusCode(422).body("code", equalTo("INVALID_VALUE"));
        putLocation("H051", "{\"kind\":\"HOSPITAL\"}").statusCode(422).body("code", equalTo("VALIDATION_FAILED"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/locations/H051").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/v1/locations").then().statusCode(401);
    }

    @Test
    void aHospitalPutsItsDemandForecastAndItIsPublished() {
        String h = newHospital();
        String body = "{\"days\":[" + day(TODAY.plusDays(2), "RBC", "O", "POS", 6) + "," + day(TODAY.plusDays(1), "PLT_AP", "A", "POS", 1)
                + "," + day(TODAY.plusDays(1), "RBC", "O", "POS", 4) + "]}";
        given().auth().oauth2(TestTokens.hospital(h)).contentType("application/json").body(body)
                .put("/api/v1/locations/" + h + "/demand").then().statusCode(200).body("locationId", equalTo(h))
                .body("days", hasSize(3)).body("days[0].date", equalTo(TODAY.plusDays(1).toString()));
        DemandForecastUpdated event = event(Events.DEMAND_FORECAST_UPDATED, h);
        assertEquals(3, event.days().size());
        assertEquals(Component.RBC, event.days().get(0).component(), "by date, then component in catalogue order");
        assertEquals("hospital-" + h.toLowerCase(), event.actor());

        // a new forecast replaces the previous one
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"days\":[" + day(TODAY, "FFP", "AB", "NEG", 800) + "]}")
                .put("/api/v1/locations/" + h + "/demand").then().statusCode(200);
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/locations/" + h + "/demand").then().statusCode(200)
                .body("days.component", contains("FFP")).body("days[0].quantity", equalTo(800));

        // another hospital may not, and bad days change nothing
        String other = newHospital();
        given().auth().oauth2(TestTokens.hospital(other)).contentType("application/json").body(body)
                .put("/api/v1/locations/" + h + "/demand").then().statusCode(403);
        given().auth().oauth2(TestTokens.hospital(other)).get("/api/v1/locations/" + h + "/demand").then().statusCode(404);
        String[][] bad = {
                {"{\"days\":[" + day(TODAY.minusDays(1), "RBC", "O", "POS", 1) + "]}", "DATE_IN_PAST"},
                {"{\"days\":[" + day(TODAY.plusDays(400), "RBC", "O", "POS", 1) + "]}", "DATE_TOO_FAR"},
                {"{\"days\":[" + day(TODAY, "RBC", "O", "POS", 1) + "," + day(TODAY, "RBC", "O", "POS", 2) + "]}", "DAY_DUPLICATE"},
                {"{\"days\":[" + day(TODAY, "RBC", "O", "POS", -1) + "]}", "VALIDATION_FAILED"},
                {"{\"days\":[" + day(TODAY, "RBC", "Q", "POS", 1) + "]}", "INVALID_VALUE"},
                {"{\"days\":[{\"date\":\"31/12/2026\",\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"quantity\":1}]}", "INVALID_VALUE"},
                {"{\"days\":[{\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"quantity\":1}]}", "VALIDATION_FAILED"},
                {"{}", "VALIDATION_FAILED"},
        };
        for (String[] c : bad) {
            given().auth().oauth2(TestTokens.hospital(h)).contentType("application/json").body(c[0])
                    .put("/api/v1/locations/" + h + "/demand").then().statusCode(422)
                    .contentType("application/problem+json").body("code", equalTo(c[1]));
        }
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/locations/" + h + "/demand").then()
                .body("days.component", contains("FFP"));
    }

    private static String day(LocalDate date, String component, String abo, String rhd, int quantity) {
        return "{\"date\":\"" + date + "\",\"component\":\"" + component + "\",\"abo\":\"" + abo + "\",\"rhd\":\"" + rhd
                + "\",\"quantity\":" + quantity + "}";
    }
}

package io.hemolink.inventory;

import io.hemolink.contracts.isbt.Din;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Bad input to the inventory is refused with a stable code and changes nothing (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class InventoryInputTest {

    private static final AtomicInteger SEQ = new AtomicInteger(500);

    private static String newDin() {
        String data = "H5678" + "26" + String.format("%06d", SEQ.incrementAndGet());
        return data + Din.checkCharacter(data);
    }

    private static String unit(String din, String component, Instant collected, String expires, String quantity) {
        return "{\"din\":\"" + din + "\",\"component\":\"" + component + "\",\"abo\":\"A\",\"rhd\":\"POS\",\"volumeMl\":200,"
                + "\"quantity\":" + quantity + ",\"collectedAt\":\"" + collected + "\""
                + (expires == null ? "" : ",\"expiresAt\":\"" + expires + "\"") + "}";
    }

    private static ValidatableResponse release(String body) {
        return given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body)
                .post("/api/v1/units").then();
    }

    private static void absent(String din) {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/units/" + din).then().statusCode(404);
    }

    @Test
    void anExpiryBeyondTheShelfLifeIsRefusedAndNoUnitIsCreated() {
        Instant collected = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String din = newDin();
        release(unit(din, "RBC", collected, collected.plus(Duration.ofDays(3650)).toString(), "1"))
                .statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("EXPIRY_BEYOND_SHELF_LIFE")).body("errors.field", hasItem("expiresAt"));
        release(unit(din, "PLT_AP", collected, collected.plus(Duration.ofDays(7)).toString(), "1"))
                .statusCode(422).body("code", equalTo("EXPIRY_BEYOND_SHELF_LIFE"));
        absent(din);
        // the shelf life itself (and a label's end of day) is fine; washed red cells keep as red cells at most
        release(unit(din, "RBC", collected, collected.plus(Duration.ofDays(35)).plus(Duration.ofHours(12)).toString(), "1"))
                .statusCode(201);
        release(unit(din, "RBC_W", collected, collected.plus(Duration.ofDays(20)).toString(), "1")).statusCode(201);
        release(unit(newDin(), "RBC_W", collected, collected.plus(Duration.ofDays(40)).toString(), "1"))
                .statusCode(422).body("code", equalTo("EXPIRY_BEYOND_SHELF_LIFE"));
    }

    @Test
    void quantitiesAreWholeNumbersNotFractionsOrStrings() {
        Instant collected = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String din = newDin();
        for (String quantity : new String[] {"1.5", "\"2\"", "1.0"}) {
            release(unit(din, "RBC", collected, null, quantity)).statusCode(422).contentType("application/problem+json")
                    .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("quantity"));
        }
        release(unit(din, "RBC", collected, null, "1").replace("200", "\"200\"")).statusCode(422)
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("volumeMl"));
        absent(din);
    }

    @Test
    void aNulInTheDinIsAControlCharacterNot500() {
        Instant collected = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String din = newDin();
        release(unit(din.substring(0, 5) + "\\u0000" + din.substring(5), "RBC", collected, null, "1"))
                .statusCode(422).body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("din"));
        absent(din);
    }

    @Test
    void alertsTakeActiveTrueOrFalseOnly() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts?active=garbage").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("INVALID_VALUE"))
                .body("errors.field", hasItem("active"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts?active=true").then().statusCode(200);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts?active=FALSE").then().statusCode(200);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/alerts").then().statusCode(200);
    }

    @Test
    void stockQueriesRefuseUnknownValuesAndAnotherLocation() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock?abo=C").then().statusCode(422)
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("abo"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock?component=XYZ").then().statusCode(422)
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("component"));
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock?locationId=H002").then().statusCode(403)
                .body("code", equalTo("LOCATION_NOT_YOURS"));
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock?locationId=H001").then().statusCode(200);
    }
}

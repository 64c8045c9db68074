package io.hemolink.common;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** problem+json, Idempotency-Key and tenancy, as every service inherits them from services/common. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class ApiConventionsTest {

    private static final String VALID = "{\"locationId\":\"H001\",\"name\":\"n\",\"abo\":\"B\",\"quantity\":1}";

    @Test
    void sameKeyAndBodyReplayTheFirstResponse() {
        String key = "k-" + UUID.randomUUID();
        String first = given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .contentType("application/json").body(VALID).post("/api/v1/things")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .contentType("application/json").body(VALID.replace(",", " , ")).post("/api/v1/things")
                .then().statusCode(201).body("id", equalTo(first)).header("Idempotent-Replayed", "true");
    }

    @Test
    void sameKeyWithAnotherBodyIsRefused() {
        String key = "k-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .contentType("application/json").body(VALID).post("/api/v1/things").then().statusCode(201);
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .contentType("application/json").body(VALID.replace("\"n\"", "\"other\"")).post("/api/v1/things")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    }

    @Test
    void keysAreScopedPerCaller() {
        String key = "k-" + UUID.randomUUID();
        String a = given().auth().oauth2(TestTokens.dispatcher()).header("Idempotency-Key", key)
                .contentType("application/json").body(VALID).post("/api/v1/things").then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .contentType("application/json").body(VALID).post("/api/v1/things")
                .then().statusCode(201).body("id", not(equalTo(a)));
    }

    @Test
    void tooLongKeyIsABadRequest() {
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", "x".repeat(65))
                .contentType("application/json").body(VALID).post("/api/v1/things")
                .then().statusCode(400).body("code", equalTo("IDEMPOTENCY_KEY_INVALID"));
    }

    @Test
    void malformedJsonIs400ProblemJson() {
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body("{\"locationId\":")
                .post("/api/v1/things").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_JSON")).body("status", equalTo(400))
                .body("detail", not(containsString("Exception"))).body("detail", not(containsString("com.fasterxml")));
    }

    @Test
    void unknownEnumValueIs422WithTheField() {
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body(VALID.replace("\"B\"", "\"C\"")).post("/api/v1/things")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("abo"));
    }

    @Test
    void missingAndInvalidFieldsAre422WithEveryField() {
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body("{\"locationId\":\"H001\",\"quantity\":-2}").post("/api/v1/things")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("abo"))
                .body("errors.field", hasItem("quantity"));
    }

    @Test
    void wrongTypeIs400() {
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                .body(VALID.replace("1}", "[1]}")).post("/api/v1/things")
                .then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
    }

    @Test
    void noTokenIs401ProblemJson() {
        given().contentType("application/json").body(VALID).post("/api/v1/things")
                .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void forgedAndExpiredTokensAre401() {
        given().auth().oauth2(TestTokens.forged("dispatcher", "STATION", "station-dispatcher"))
                .contentType("application/json").body(VALID).post("/api/v1/things").then().statusCode(401);
        given().auth().oauth2(TestTokens.expired("dispatcher", "STATION", "station-dispatcher"))
                .contentType("application/json").body(VALID).post("/api/v1/things").then().statusCode(401);
    }

    @Test
    void wrongRoleIs403ProblemJson() {
        given().auth().oauth2(TestTokens.waiverAdmin()).contentType("application/json").body(VALID).post("/api/v1/things")
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void hospitalMayNotActForAnotherLocation() {
        given().auth().oauth2(TestTokens.hospital("H002")).contentType("application/json").body(VALID).post("/api/v1/things")
                .then().statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
    }

    @Test
    void anotherTenantsObjectIs404AndTheOwnerSeesIt() {
        String id = given().auth().oauth2(TestTokens.hospital("H001")).contentType("application/json").body(VALID)
                .post("/api/v1/things").then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/things/" + id).then().statusCode(200)
                .body("locationId", equalTo("H001"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/things/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/things/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void unknownPathIsProblemJsonToo() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/no-such-thing").then().statusCode(404)
                .body("code", equalTo("NOT_FOUND")).body("requestId", notNullValue()).body("trace", nullValue());
    }
}

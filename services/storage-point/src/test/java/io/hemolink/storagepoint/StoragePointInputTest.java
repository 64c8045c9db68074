package io.hemolink.storagepoint;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Bad input to the storage-point service is refused with a stable code and changes nothing (ADR 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class StoragePointInputTest {

    private static ValidatableResponse register(String id, String host, String min) {
        return given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"x\",\"hostHospitalId\":\"" + host + "\","
                        + "\"equipment\":[{\"id\":\"" + id + "-F1\",\"kind\":\"RBC_FRIDGE\"}],"
                        + "\"parLevels\":[{\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":" + min + ",\"target\":4}]}")
                .post("/api/v1/storage-points").then();
    }

    private static void absent(String id) {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points/" + id).then().statusCode(404);
    }

    @Test
    void anUnknownHostHospitalIsRefusedAndNothingIsRegistered() {
        register("SP09", "H999", "2").statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("HOSPITAL_UNKNOWN")).body("errors.field", hasItem("hostHospitalId"));
        absent("SP09");
    }

    @Test
    void fractionalOrStringParLevelsAreRefused() {
        register("SP08", "H003", "1.5").statusCode(422).body("code", equalTo("INVALID_VALUE"))
                .body("errors.field", hasItem("parLevels[0].min"));
        register("SP08", "H003", "\"2\"").statusCode(422).body("code", equalTo("INVALID_VALUE"));
        absent("SP08");
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"parLevels\":[{\"component\":\"RBC\",\"abo\":\"O\",\"rhd\":\"POS\",\"min\":1,\"target\":2.5}]}")
                .put("/api/v1/storage-points/SP01/par-levels").then().statusCode(422)
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("parLevels[0].target"));
    }

    @Test
    void alertsTakeActiveTrueOrFalseOnly() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points/SP01/alerts?active=maybe").then()
                .statusCode(422).body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("active"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/storage-points/SP01/alerts?active=true").then()
                .statusCode(200);
    }
}

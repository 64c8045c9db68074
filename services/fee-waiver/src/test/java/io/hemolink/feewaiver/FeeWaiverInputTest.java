package io.hemolink.feewaiver;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.hemolink.feewaiver.Api.billJson;
import static io.hemolink.feewaiver.Api.claim;
import static io.hemolink.feewaiver.Api.donate;
import static io.hemolink.feewaiver.Api.newBill;
import static io.hemolink.feewaiver.Api.quote;
import static io.hemolink.feewaiver.Api.rbc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** Bad input to the fee-waiver service is refused with a stable code and changes nothing (ADR 0020, 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "fee_waiver"))
class FeeWaiverInputTest {

    private static int waivers(String hospital) {
        return given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?hospitalId=" + hospital).then()
                .statusCode(200).extract().path("items.size()");
    }

    @Test
    void insuranceAboveTheBillIsRefusedInQuoteAndClaim() {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 30).statusCode(201);
        String bill = billJson("H011", newBill(), donor, name, rbc(2, "440.00"), "99999.99");
        quote(TestTokens.his("H011"), bill).statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("INSURANCE_ABOVE_BILL")).body("errors.field", hasItem("insuranceCoveredYuan"));
        claim(TestTokens.his("H011"), bill).statusCode(422).body("code", equalTo("INSURANCE_ABOVE_BILL"));
        given().auth().oauth2(TestTokens.his("H011")).get("/api/v1/fee-waivers").then().statusCode(200)
                .body("items", hasSize(0));
        // insurance that covers the whole bill is a real bill: nothing left to waive
        quote(TestTokens.his("H011"), billJson("H011", newBill(), donor, name, rbc(2, "440.00"), "440.00"))
                .statusCode(200).body("waivableYuan", equalTo(0.0f));
    }

    @Test
    void aNulInTheBillNumberIs422AndNothingIsClaimed() {
        String donor = People.idNumber();
        String name = People.name();
        donate(donor, name, 400, 30).statusCode(201);
        claim(TestTokens.his("H012"), billJson("H012", "B-1\\u0000", donor, name, rbc(1, "220.00"), null))
                .statusCode(422).body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("billNo"));
        claim(TestTokens.his("H012"), billJson("H012", newBill(), donor, name, rbc(1, "220.00"), null)
                .replace("\"quantity\":1", "\"quantity\":\"1\"")).statusCode(422).body("code", equalTo("INVALID_VALUE"));
        assert waivers("H012") == 0;
    }

    @Test
    void listsUseTheSharedCursorAndTenancyRules() {
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?cursor=not-a-cursor!").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("CURSOR_INVALID"));
        given().auth().oauth2(TestTokens.waiverAdmin()).get("/api/v1/fee-waivers?limit=0").then()
                .statusCode(422).body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(TestTokens.his("H011")).get("/api/v1/fee-waivers?hospitalId=H012").then()
                .statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
    }
}

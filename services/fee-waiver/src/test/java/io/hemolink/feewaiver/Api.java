package io.hemolink.feewaiver;

import io.hemolink.infra.TestTokens;
import io.restassured.response.ValidatableResponse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Calls of the fee-waiver API as the tests make them. */
final class Api {

    private Api() {
    }

    static String daysAgo(int days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String donationJson(String donationId, String idNumber, String name, String donatedAt, int volumeMl) {
        return "{\"donationId\":\"" + donationId + "\",\"donorIdNumber\":\"" + idNumber + "\",\"donorName\":\"" + name
                + "\",\"donatedAt\":\"" + donatedAt + "\",\"kind\":\"WHOLE_BLOOD\",\"volumeMl\":" + volumeMl
                + ",\"rhdNegative\":false}";
    }

    static ValidatableResponse donate(String idNumber, String name, int volumeMl, int daysAgo) {
        return post(TestTokens.waiverAdmin(), "/donations",
                donationJson("DN-" + UUID.randomUUID().toString().substring(0, 12), idNumber, name, daysAgo(daysAgo), volumeMl));
    }

    static ValidatableResponse relate(String token, String donorId, String relativeId, String relation) {
        return post(token, "/donors/relations", "{\"donorIdNumber\":\"" + donorId + "\",\"relativeIdNumber\":\""
                + relativeId + "\",\"relation\":\"" + relation + "\",\"evidenceRef\":\"HR-2026-0001 household register\"}");
    }

    static String billJson(String hospitalId, String billNo, String patientId, String patientName, String items,
                           String insurance) {
        return "{\"hospitalId\":\"" + hospitalId + "\",\"billNo\":\"" + billNo + "\",\"patientIdNumber\":\"" + patientId
                + "\",\"patientName\":\"" + patientName + "\",\"items\":[" + items + "]"
                + (insurance == null ? "" : ",\"insuranceCoveredYuan\":" + insurance) + "}";
    }

    static String rbc(int units, String yuan) {
        return "{\"component\":\"RBC\",\"quantity\":" + units + ",\"amountYuan\":" + yuan + "}";
    }

    static ValidatableResponse quote(String token, String body) {
        return post(token, "/fee-waivers/quote", body);
    }

    static ValidatableResponse claim(String token, String body) {
        return post(token, "/fee-waivers", body);
    }

    static ValidatableResponse entitlement(String token, String idNumber) {
        return post(token, "/donors/entitlement-query", "{\"idNumber\":\"" + idNumber + "\"}");
    }

    static ValidatableResponse post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).post("/api/v1" + path).then();
    }

    static String newBill() {
        return "B-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
